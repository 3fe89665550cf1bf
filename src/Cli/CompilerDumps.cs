using System.Globalization;
using Ppl.Compiler;

namespace Ppl.Cli;

/// <summary>
/// What `ppl check` and `ppl compile` can show of the compiler's work besides the final IR: the IR right after one
/// pass (`--dump-ir-after PASS`, any of <see cref="Driver.IrPasses"/>) and the time each stage took (`--timings`).
/// </summary>
public static class CompilerDumps
{
    public const string DumpAfterOption = "--dump-ir-after", TimingsOption = "--timings";

    /// <summary>Adds the two options to a command's table.</summary>
    public static OptionSpec WithCompilerDumps(this OptionSpec spec) => spec
        .Value(DumpAfterOption, "PASS", "print the IR right after one pass: " + string.Join(", ", Driver.IrPasses), Driver.IrPasses.ToArray())
        .Flag(TimingsOption, "print the time each compiler stage took");

    /// <summary>The pass named by <c>--dump-ir-after</c> (null when not given), or a usage error.</summary>
    public static (string? Pass, string? Error) Pass(CommandLine line)
    {
        var pass = line.Get(DumpAfterOption);
        if (pass is null || Driver.IrPasses.Contains(pass)) return (pass, null);
        return (null, $"{DumpAfterOption} must name one of the IR passes ({string.Join(", ", Driver.IrPasses)}), not '{pass}'");
    }

    /// <summary>Writes what the options asked for.</summary>
    public static void Write(TextWriter output, Compilation compilation, CommandLine line)
    {
        if (line.Get(DumpAfterOption) is { } pass && compilation.IrAfterPass is { } ir)
        {
            output.WriteLine($"// IR after {pass}");
            output.Write(ir);
        }
        if (!line.Has(TimingsOption)) return;
        output.WriteLine("compiler stage timings (wall clock):");
        foreach (var (stage, time) in compilation.PassTimings)
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-13} {1,9:F2} ms", stage, time.TotalMilliseconds));
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-13} {1,9:F2} ms", "total", compilation.PassTimings.Sum(t => t.Time.TotalMilliseconds)));
    }
}
