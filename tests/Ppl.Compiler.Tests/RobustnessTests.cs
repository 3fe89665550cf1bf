using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>
/// The compiler never throws on bad models: mutated versions of the examples (tokens deleted, duplicated or swapped,
/// numbers and names changed) must give diagnostics or a model, never an exception. Seeded, so a failure reproduces.
/// </summary>
public class RobustnessTests
{
    private static readonly string[] Tokens =
    {
        "0", "1", "2.5", "-1", "N", "theta", "x", "[", "]", "(", ")", ",", ":", "=", "~", "+", "*", "/", "^", "@", "..", "...",
        "_", "real", "int[2]", "real[N, N]", "sum(", "axis = 1", "Normal(", "eigh(", ".values", "if", "then", "else", "for i in 0:3",
        "odeint(", "fft2(", "transpose(", "[1.0, 2.0]", "zeros(3)", "true", "&&", "<", "let", "param", "observe", "fun",
    };

    public static IEnumerable<object[]> Cases()
    {
        var files = Directory.GetFiles(Path.Combine(ReferenceData.RepositoryRoot, "examples"), "*.ppl")
            .Concat(Directory.GetFiles(Path.Combine(Baseline.GoldenDirectory, "good"), "AllBuiltins.ppl")).OrderBy(f => f).ToList();
        return files.Select(f => new object[] { Path.GetFileName(f) });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MutatedModelsNeverThrow(string file)
    {
        var path = File.Exists(Path.Combine(ReferenceData.RepositoryRoot, "examples", file))
            ? Path.Combine(ReferenceData.RepositoryRoot, "examples", file)
            : Path.Combine(Baseline.GoldenDirectory, "good", file);
        var text = File.ReadAllText(path);
        var rng = new Random(StableSeed(file));
        var words = System.Text.RegularExpressions.Regex.Split(text, @"(\s+|[\[\](),:=~+\-*/^@])").Where(w => w.Length > 0).ToList();
        int trials = int.TryParse(Environment.GetEnvironmentVariable("PPL_FUZZ_TRIALS"), out var t) ? t : 150;
        bool build = Environment.GetEnvironmentVariable("PPL_FUZZ_BUILD") == "1";
        for (int trial = 0; trial < trials; trial++)
        {
            var mutated = new List<string>(words);
            int edits = 1 + rng.Next(3);
            for (int e = 0; e < edits && mutated.Count > 2; e++)
            {
                int i = rng.Next(mutated.Count);
                switch (rng.Next(4))
                {
                    case 0: mutated.RemoveAt(i); break;
                    case 1: mutated.Insert(i, Tokens[rng.Next(Tokens.Length)]); break;
                    case 2: mutated[i] = Tokens[rng.Next(Tokens.Length)]; break;
                    default:
                        int j = rng.Next(mutated.Count);
                        (mutated[i], mutated[j]) = (mutated[j], mutated[i]);
                        break;
                }
            }
            var source = string.Concat(mutated);
            try
            {
                var c = Driver.Compile("fuzz.ppl", source, new CompilationOptions { Build = false });
                // Models that pass every check must generate C# that compiles (a failure is a code generator bug).
                if (!c.HasErrors && (build || trial % 10 == 0))
                {
                    var built = Driver.Compile("fuzz.ppl", source, new CompilationOptions { UseCache = false });
                    Assert.False(built.Diagnostics.Any(d => d.Code == "PPL0901"), $"generated C# does not compile for a mutation of {file}:\n{source}\n{built.RenderDiagnostics()}");
                }
            }
            catch (Exception ex)
            {
                Assert.Fail($"compiling a mutation of {file} threw {ex.GetType().Name}: {ex.Message}\n--- model ---\n{source}\n--- stack ---\n{ex.StackTrace}");
            }
        }
    }

    /// <summary>A seed from the file name that is the same in every process (string.GetHashCode is randomised per
    /// process, which made a failure impossible to reproduce): FNV-1a of the UTF-16 code units.</summary>
    private static int StableSeed(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7fffffff);
    }
}
