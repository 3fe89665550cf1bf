using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>The compiler's golden files (`tests/Ppl.Compiler.Tests/golden`), compared by <see cref="GoldenFile"/>.</summary>
public static class Baseline
{
    public static string GoldenDirectory => Path.Combine(ReferenceData.RepositoryRoot, "tests", "Ppl.Compiler.Tests", "golden");

    public static void Check(string expectedPath, string actual) => GoldenFile.Check(expectedPath, actual);
}
