namespace Ppl.Tests.Shared;

/// <summary>
/// Baseline files next to their inputs: a mismatch writes `NAME.actual` beside the `.expected` file and fails with the first
/// differing line; with TEST_UPDATE_BSL=1 the `.expected` file is rewritten instead.
/// </summary>
public static class GoldenFile
{
    public static void Check(string expectedPath, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        var actualPath = Path.ChangeExtension(expectedPath, ".actual");
        if (Environment.GetEnvironmentVariable("TEST_UPDATE_BSL") == "1")
        {
            File.WriteAllText(expectedPath, actual);
            if (File.Exists(actualPath)) File.Delete(actualPath);
            return;
        }
        var expected = File.Exists(expectedPath) ? File.ReadAllText(expectedPath).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(actualPath)) File.Delete(actualPath);
            return;
        }
        File.WriteAllText(actualPath, actual);
        if (expected is null) Assert.Fail($"missing baseline {expectedPath}; the output was written to {actualPath} (TEST_UPDATE_BSL=1 creates it)");
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int line = 0;
        while (line < Math.Min(e.Length, a.Length) && e[line] == a[line]) line++;
        Assert.Fail($"{Path.GetFileName(expectedPath)} differs at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\n(see {actualPath})");
    }
}
