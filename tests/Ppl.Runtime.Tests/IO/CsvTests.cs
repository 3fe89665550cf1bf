using Ppl.Runtime.IO;

namespace Ppl.Runtime.Tests.IO;

// Exact float comparisons in this class are exact by construction: values are parsed from text written in round-trip
// form or copied from binary files; no arithmetic is involved.
public class CsvTests
{
    [Fact]
    public void CmdStanStyleOutputIsReadSkippingCommentsAnywhere()
    {
        var text = """
            # stan_version_major = 2
            # model = bernoulli_model
            lp__,accept_stat__,theta
            # Adaptation terminated
            # Step size = 0.93
            -6.9,0.98,0.25
            -7.2,1,inf

            -6.8,0.5,nan
            # Elapsed Time: 0.01 seconds
            """;
        var table = Parse(text);
        Assert.Equal(new[] { "lp__", "accept_stat__", "theta" }, table.Names);
        Assert.Equal(3, table.RowCount);
        Assert.Equal(-7.2, table.Values[1, 0]);
        Assert.Equal(double.PositiveInfinity, table.Values[1, 2]);
        Assert.True(double.IsNaN(table.Values[2, 2]));
        Assert.Equal(new[] { "stan_version_major = 2", "model = bernoulli_model", "Adaptation terminated", "Step size = 0.93", "Elapsed Time: 0.01 seconds" }, table.Comments);
        Assert.Equal(new[] { 0.25, double.PositiveInfinity, double.NaN }, table.Column("theta"));
    }

    [Fact]
    public void RoundTripIsExactWithTheDefaultFormat()
    {
        var random = new Random(5);
        var values = new double[50, 3];
        for (int i = 0; i < 50; i++)
            for (int j = 0; j < 3; j++) values[i, j] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20));
        values[0, 0] = double.NaN;
        values[1, 1] = double.NegativeInfinity;
        values[2, 2] = 5e-324;
        var table = new CsvTable(new[] { "a", "b,c", "\"q\"" }, values, new[] { "seed = 5", "", "multi" });
        foreach (var format in new[] { CsvWriter.RoundTripFormat, CsvWriter.SeventeenDigitsFormat })
        {
            var text = CsvWriter.Format(table, format);
            Assert.StartsWith("# seed = 5\n#\n# multi\na,\"b,c\",\"\"\"q\"\"\"\n", text);
            var back = Parse(text);
            Assert.Equal(table.Names, back.Names);
            Assert.Equal(table.Comments, back.Comments);
            for (int i = 0; i < 50; i++)
                for (int j = 0; j < 3; j++) Assert.Equal(values[i, j], back.Values[i, j]);
        }
    }

    [Fact]
    public void StreamingWriterAndFileRoundTrip()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("draws.csv");
        using (var text = new StreamWriter(path))
        using (var csv = new CsvWriter(text, "G6"))
        {
            csv.WriteComment("method = sample");
            csv.WriteHeader(new[] { "mu", "tau" });
            csv.WriteRow(new[] { 1.0 / 3, 2.0 });
            Assert.Throws<ArgumentException>(() => csv.WriteRow(new[] { 1.0 }));
        }
        var table = CsvReader.Read(path).Value;
        Assert.Equal(0.333333, table.Values[0, 0]);

        var atomic = folder.File("t.csv");
        Assert.True(CsvWriter.Write(atomic, table).Succeeded);
        Assert.False(File.Exists(atomic + ".tmp"));
        Assert.Equal(table.Values, CsvReader.Read(atomic).Value.Values);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", 3, 1, "1 field but the header has 2")]
    [InlineData("a,b\n1,x\n", 2, 3, "'x' in column 'b'")]
    [InlineData("a,b\n1,\n", 2, 3, "empty cell")]
    [InlineData("# only comments\n", 1, 0, "no header")]
    [InlineData("\"a,b\n", 1, 1, "not closed")]
    public void ErrorsCarryLineAndColumn(string text, int line, int column, string fragment)
    {
        var error = Assert.Single(CsvReader.Parse(text, "e.csv").Errors);
        Assert.Equal("PPL0508", error.Code);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void WindowsLineEndingsAndHeaderOnlyFilesAreRead()
    {
        var table = Parse("x,y\r\n1,2\r\n");
        Assert.Equal(new[] { "x", "y" }, table.Names);
        Assert.Equal(2.0, table.Values[0, 1]);
        Assert.Equal(0, Parse("x,y\n").RowCount);
    }

    private static CsvTable Parse(string text)
    {
        var result = CsvReader.Parse(text, "t.csv");
        Assert.True(result.Succeeded, result.ToString());
        return result.Value;
    }
}
