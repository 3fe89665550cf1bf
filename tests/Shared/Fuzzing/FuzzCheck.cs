using System.Text.RegularExpressions;
using Ppl.Cli;

namespace Ppl.Tests.Shared.Fuzzing;

/// <summary>What `ppl check` did with a fuzzed model.</summary>
public enum FuzzOutcome
{
    /// <summary>Exit 0: a valid model.</summary>
    Ok,

    /// <summary>Exit 1 with every error located (file:line:col and a code).</summary>
    LocatedError,

    /// <summary>Exit 1 but an error without a location or code: a finding.</summary>
    UnlocatedError,

    /// <summary>Exit 2 (usage): a finding for a model file, unless the case passes odd arguments.</summary>
    UsageError,

    /// <summary>Exit 3: a bug.</summary>
    InternalError,

    /// <summary>An exception escaped the CLI, or a stack trace was printed: a bug.</summary>
    Crash,
}

/// <summary>Runs `ppl check` in-process on a fuzzed case (written to a file) and classifies the result.</summary>
public static class FuzzCheck
{
    /// <summary>Element limit for fuzzed runs: sizes a mutation produces must not allocate gigabytes in a test.</summary>
    public const string MaxElements = "2^20";

    private static readonly Regex Located = new(@"^\S+:\d+:\d+: (error|warning) PPL\d{4}: ", RegexOptions.Multiline | RegexOptions.CultureInvariant);
    private static readonly Regex AnyError = new(@"(^|: )error\b", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public static (FuzzOutcome Outcome, CliResult? Result) Run(FuzzCase c, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, c.Name + ".ppl");
        File.WriteAllText(path, c.Source);
        CliResult result;
        try
        {
            result = InProcessCli.Run(new[] { "--max-elements", MaxElements, "check", path }.Concat(c.Arguments).ToArray());
        }
        catch (Exception)
        {
            return (FuzzOutcome.Crash, null);
        }
        return (Classify(result), result);
    }

    public static FuzzOutcome Classify(CliResult r)
    {
        if (r.Err.Contains("   at ", StringComparison.Ordinal) || r.Out.Contains("   at ", StringComparison.Ordinal)) return FuzzOutcome.Crash;
        switch (r.Exit)
        {
            case ExitCodes.Ok: return FuzzOutcome.Ok;
            case ExitCodes.UsageError: return FuzzOutcome.UsageError;
            case ExitCodes.ModelError:
            {
                // Every error line is located: "file:line:col: error PPLxxxx: ..." (the closing "file: N errors" line aside).
                var errorLines = r.Err.Split('\n').Where(l => AnyError.IsMatch(l) && !Regex.IsMatch(l, @"^\S+: \d+ errors?")).ToList();
                bool allLocated = errorLines.Count > 0 && errorLines.All(l => Located.IsMatch(l));
                return allLocated ? FuzzOutcome.LocatedError : FuzzOutcome.UnlocatedError;
            }
            default: return r.Exit == ExitCodes.InternalError ? FuzzOutcome.InternalError : FuzzOutcome.Crash;
        }
    }
}
