using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ppl.Tests.Shared.Fuzzing;

/// <summary>One fuzzed input: a model text, the extra `ppl check` arguments, and how it was made (for the report).</summary>
public sealed record FuzzCase(string Name, string Source, string[] Arguments, string Origin);

/// <summary>
/// Seeded fuzzed models for `ppl check`: mutations of the examples (tokens deleted, duplicated or swapped, numbers
/// replaced by 0, -1, huge values or NaN, sizes given odd values with --set) and random models from a small grammar of
/// the language (data sizes, distributions with constant or computed arguments, sizes, slices, creation functions).
/// The same seed gives the same cases.
/// </summary>
public sealed class ModelFuzzer
{
    private static readonly Regex TokenPattern = new(@"(\s+|[\[\](),:=~+\-*/^@%])", RegexOptions.CultureInvariant);

    private static readonly string[] OddNumbers =
    {
        "0", "-1", "1", "0.0", "-0.5", "99999999999999999999", "9223372036854775807", "4294967296", "100000", "2000000000",
        "1e308", "(0.0 / 0.0)", "inf", "-inf", "(2 ^ 100)",
    };

    private static readonly string[] OddSizes = { "0", "-1", "1", "100000", "4294967296", "2.5" };

    private static readonly string[] Distributions =
    {
        "Normal({0}, {1})", "Uniform({0}, {1})", "HalfCauchy({1})", "Gamma({1}, {1})", "Beta({1}, {1})", "Exponential({1})",
        "StudentT({1}, {0}, {1})", "TruncatedNormal({0}, {1}, lower = {0})", "LogNormal({0}, {1})",
    };

    private readonly Random _rng;
    private readonly IReadOnlyList<(string Name, string Text)> _examples;
    private int _count;

    public ModelFuzzer(int seed, IReadOnlyList<(string Name, string Text)> examples)
    {
        _rng = new Random(seed);
        _examples = examples;
    }

    /// <summary>The examples under <paramref name="directory"/> (*.ppl), in name order.</summary>
    public static IReadOnlyList<(string Name, string Text)> LoadExamples(string directory) =>
        Directory.GetFiles(directory, "*.ppl").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileNameWithoutExtension(f), File.ReadAllText(f))).ToList();

    /// <summary>The next case: a mutation of an example two times in three, else a grammar model.</summary>
    public FuzzCase Next() => _rng.Next(3) < 2 && _examples.Count > 0 ? Mutation() : GrammarModel();

    public FuzzCase Mutation()
    {
        var (name, text) = _examples[_rng.Next(_examples.Count)];
        var tokens = TokenPattern.Split(text).Where(t => t.Length > 0).ToList();
        var edits = new List<string>();
        int count = 1 + _rng.Next(3);
        for (int e = 0; e < count && tokens.Count > 2; e++)
        {
            int i = _rng.Next(tokens.Count);
            switch (_rng.Next(5))
            {
                case 0:
                    edits.Add($"delete '{tokens[i].Trim()}'");
                    tokens.RemoveAt(i);
                    break;
                case 1:
                    edits.Add($"duplicate '{tokens[i].Trim()}'");
                    tokens.Insert(i, tokens[i]);
                    break;
                case 2:
                {
                    int j = _rng.Next(tokens.Count);
                    edits.Add($"swap '{tokens[i].Trim()}' and '{tokens[j].Trim()}'");
                    (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
                    break;
                }
                default:
                {
                    // A number replaced by an odd one (the first number at or after i).
                    int k = tokens.FindIndex(i, t => t.Length > 0 && char.IsDigit(t[0]));
                    if (k < 0) k = tokens.FindIndex(t => t.Length > 0 && char.IsDigit(t[0]));
                    if (k < 0) break;
                    var odd = OddNumbers[_rng.Next(OddNumbers.Length)];
                    edits.Add($"number '{tokens[k]}' -> '{odd}'");
                    tokens[k] = odd;
                    break;
                }
            }
        }
        var args = new List<string>();
        // Sometimes an int data size of the example given an odd value on the command line.
        var sizes = Regex.Matches(text, @"^data\s+(\w+)\s*:\s*int\b", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        if (sizes.Count > 0 && _rng.Next(4) == 0)
        {
            var size = sizes[_rng.Next(sizes.Count)];
            var value = OddSizes[_rng.Next(OddSizes.Length)];
            args.Add("--set");
            args.Add($"{size}={value}");
            edits.Add($"--set {size}={value}");
        }
        return new FuzzCase($"{name}-m{_count++}", string.Concat(tokens), args.ToArray(), $"mutation of {name}: {string.Join(", ", edits)}");
    }

    public FuzzCase GrammarModel()
    {
        var sb = new StringBuilder("model Fuzz\n");
        string Pick(params string[] options) => options[_rng.Next(options.Length)];
        string Number() => _rng.Next(4) == 0 ? OddNumbers[_rng.Next(OddNumbers.Length)] : (_rng.NextDouble() * 4 - 1).ToString("0.##", CultureInfo.InvariantCulture);
        string Positive() => _rng.Next(5) == 0 ? OddNumbers[_rng.Next(OddNumbers.Length)] : (0.1 + _rng.NextDouble() * 3).ToString("0.##", CultureInfo.InvariantCulture);

        sb.Append($"data N: int = {Pick("0", "1", "3", "5", "-1", "100000", "4294967296", "2 ^ 100", "3 * 2")}\n");
        sb.Append($"data s: int = {Pick("0", "1", "2", "-1", "N", "N % 2")}\n");
        sb.Append($"data x: real[N] = {Pick("zeros(N)", "linspace(0, 1, N)", "0.5", "ones(N) / 0.0")}\n");
        var size = Pick("N", "N * N", "5 % N", "N - 1", "N + 1", "2", "N / 2", "N ^ 2", "0");
        var reals = new List<string> { "a" };
        sb.Append($"param a ~ {string.Format(CultureInfo.InvariantCulture, Pick(Distributions), Number(), Positive())}\n");
        if (_rng.Next(2) == 0)
        {
            sb.Append($"param b: real[{size}] ~ {string.Format(CultureInfo.InvariantCulture, Pick(Distributions), Number(), Positive())}\n");
            reals.Add("sum(b)");
        }
        string Expr(int depth)
        {
            if (depth <= 0 || _rng.Next(3) == 0) return _rng.Next(3) == 0 ? Number() : reals[_rng.Next(reals.Count)];
            return _rng.Next(6) switch
            {
                0 => $"{Expr(depth - 1)} {Pick("+", "-", "*", "/", "^")} {Expr(depth - 1)}",
                1 => $"{Pick("exp", "log", "sqrt", "abs", "sin")}({Expr(depth - 1)})",
                2 => $"sum({Pick("x", "x[::s]", "x[1:N]", "zeros(N)", "linspace(0, 1, N * N)", "ones(N, N)", "x[s]")})",
                3 => $"({Expr(depth - 1)})",
                4 => string.Join(" + ", Enumerable.Repeat(reals[0], 1 + _rng.Next(50))),
                _ => $"if {Expr(depth - 1)} > 0 then {Expr(depth - 1)} else {Expr(depth - 1)}",
            };
        }
        sb.Append($"let v = {Expr(3)}\n");
        reals.Add("v");
        sb.Append($"observe y ~ Normal({Expr(2)}, {Positive()})\n");
        return new FuzzCase($"grammar-{_count++}", sb.ToString(), Array.Empty<string>(), "grammar model");
    }
}
