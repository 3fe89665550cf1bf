using Ppl.Tests.Shared;
namespace Ppl.Sbi.Tests;

/// <summary>A fresh folder per test class, deleted afterwards.</summary>
public abstract class TemporaryFolder : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("ppl-sbi-cli-").FullName;

    protected string In(string name) => Path.Combine(Folder, name);

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The accuracy printed by `ppl c2st`.</summary>
    protected static double C2stAccuracy(CliResult result)
    {
        var match = System.Text.RegularExpressions.Regex.Match(result.Out, @"C2ST accuracy: ([0-9.]+)");
        Assert.True(match.Success, result.ToString());
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A CSV written by `ppl posterior` (or any CSV with a header).</summary>
    protected static Ppl.Runtime.IO.CsvTable ReadCsv(string path)
    {
        var read = Ppl.Runtime.IO.CsvReader.Read(path);
        Assert.True(read.Succeeded, read.ToString());
        return read.Value!;
    }
}
