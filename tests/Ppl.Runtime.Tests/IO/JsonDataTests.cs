using Ppl.Runtime.IO;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.IO;

// Exact float comparisons in this class are exact by construction: values are parsed from text written in round-trip
// form or copied from binary files; no arithmetic is involved.
public class JsonDataTests
{
    [Fact]
    public void ScalarsArraysIntegersRealsAndBooleans()
    {
        var json = """
            {
              "N": 3,
              "sigma": 1.5,
              "big": 1e3,
              "y": [1, 2.5, -3],
              "counts": [[1, 2, 3], [4, 5, 6]],
              "flags": [true, false],
              "cube": [[[1], [2]], [[3], [4]]],
              "neg": -0
            }
            """;
        var values = Parse(json);
        Assert.Equal(new[] { "N", "sigma", "big", "y", "counts", "flags", "cube", "neg" }, values.Keys);
        Assert.True(values["N"].IsInteger);
        Assert.True(values["N"].IsScalar);
        Assert.Equal(3L, values["N"].ToInt64Array()[0]);
        Assert.False(values["sigma"].IsInteger);
        Assert.False(values["big"].IsInteger);
        Assert.Equal(1000.0, values["big"].ToDoubleArray()[0]);
        // One real element makes the whole array real.
        Assert.False(values["y"].IsInteger);
        Assert.Equal(new[] { 1.0, 2.5, -3 }, values["y"].ToDoubleArray());
        Assert.True(values["counts"].IsInteger);
        Assert.Equal(new long[] { 2, 3 }, values["counts"].Shape);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, values["counts"].ToInt64Array());
        Assert.True(values["flags"].IsBoolean);
        Assert.Equal(new long[] { 2, 2, 1 }, values["cube"].Shape);
        Assert.Equal("data.json:3:12", values["sigma"].Origin);
        Assert.True(values["neg"].IsInteger);
    }

    [Fact]
    public void NonFiniteSpellingsAreAccepted()
    {
        var values = Parse("""{"a": ["inf", "-inf", "NaN", "+Inf", "Infinity", "-infinity", "nan", 1], "b": [NaN, Infinity, -Infinity]}""");
        var a = values["a"].ToDoubleArray();
        Assert.False(values["a"].IsInteger);
        Assert.Equal(double.PositiveInfinity, a[0]);
        Assert.Equal(double.NegativeInfinity, a[1]);
        Assert.True(double.IsNaN(a[2]));
        Assert.Equal(double.PositiveInfinity, a[3]);
        Assert.Equal(double.PositiveInfinity, a[4]);
        Assert.Equal(double.NegativeInfinity, a[5]);
        Assert.True(double.IsNaN(a[6]));
        Assert.Equal(1.0, a[7]);
        var b = values["b"].ToDoubleArray();
        Assert.True(double.IsNaN(b[0]));
        Assert.Equal(double.PositiveInfinity, b[1]);
        Assert.Equal(double.NegativeInfinity, b[2]);
    }

    [Fact]
    public void EmptyArraysHaveZeroExtent()
    {
        var values = Parse("""{"e": [], "e2": [[], []], "o": {}}""".Replace(", \"o\": {}", ""));
        Assert.Equal(new long[] { 0 }, values["e"].Shape);
        Assert.Equal(new long[] { 2, 0 }, values["e2"].Shape);
        Assert.Empty(Parse("{}"));
    }

    [Theory]
    [InlineData("{\"a\": [1, 2,]}", "PPL0502", 1, 13)]
    [InlineData("{\"a\": 1,\n \"b\": }", "PPL0502", 2, 7)]
    [InlineData("{\"a\": 01}", "PPL0502", 1, 8)]
    [InlineData("{\"a\": 1} x", "PPL0502", 1, 10)]
    [InlineData("{\"a\": \"unterminated}", "PPL0502", 1, 21)]
    [InlineData("", "PPL0502", 1, 1)]
    [InlineData("{\"a\" 1}", "PPL0502", 1, 6)]
    [InlineData("[1, 2]", "PPL0504", 1, 1)]
    [InlineData("{\"a\": null}", "PPL0504", 1, 7)]
    [InlineData("{\"a\": {\"b\": 1}}", "PPL0504", 1, 7)]
    [InlineData("{\"a\": [1, \"x\"]}", "PPL0504", 1, 11)]
    [InlineData("{\"a\": 99999999999999999999}", "PPL0507", 1, 7)]
    [InlineData("{\"a\": 1e999}", "PPL0507", 1, 7)]
    [InlineData("{\"a\": 1, \"a\": 2}", "PPL0510", 1, 10)]
    [InlineData("{\"a\": [true, 1]}", "PPL0511", 1, 14)]
    [InlineData("{\"a\": [1, true]}", "PPL0511", 1, 11)]
    public void ErrorsCarryCodeLineAndColumn(string json, string code, int line, int column)
    {
        var result = JsonDataReader.Parse(json, "d.json");
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal("d.json", error.Path);
    }

    [Theory]
    [InlineData("{\"a\": [1, 2,]}", "trailing comma")]
    [InlineData("{\"a\": 1,}", "trailing comma")]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("{\"a\": 1} x", "'x' is invalid after a single JSON value")]
    [InlineData("{\"a\": \"\\ud800\"}", "surrogate")]
    public void SyntaxErrorsSayWhatIsWrongWithoutReaderJargon(string json, string expected)
    {
        var error = Assert.Single(JsonDataReader.Parse(json, "d.json").Errors);
        Assert.Equal("PPL0502", error.Code);
        Assert.StartsWith("malformed JSON: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
        Assert.DoesNotContain("BytePositionInLine", error.Message);
        Assert.DoesNotContain("reader options", error.Message);
        Assert.DoesNotContain("isFinalBlock", error.Message);
    }

    [Fact]
    public void ColumnsCountCharactersNotBytes()
    {
        // "é" and "σ" are two bytes each in UTF-8: the column of ']' is still its place among the characters.
        var error = Assert.Single(JsonDataReader.Parse("{\"é\": 1,\n \"σ\": [1, 2,]}", "u.json").Errors);
        Assert.Equal((2, 13), (error.Line, error.Column));
        var values = Parse("{\"σ\": [1,\n  2.5]}");
        Assert.Equal("data.json:1:7", values["σ"].Origin);
    }

    [Fact]
    public void BareNonFiniteWordsAreNumbersOnlyOutsideStrings()
    {
        // Inside strings the words stay text; as names they stay names; glued to other characters they are errors.
        var values = Parse("{\"NaN\": [NaN,Infinity], \"Infinity\": -Infinity, \"s\": \"inf\"}");
        Assert.Equal(new[] { "NaN", "Infinity", "s" }, values.Keys);
        Assert.True(double.IsNaN(values["NaN"].ToDoubleArray()[0]));
        Assert.Equal(double.PositiveInfinity, values["NaN"].ToDoubleArray()[1]);
        Assert.Equal(double.NegativeInfinity, values["Infinity"].ToDoubleArray()[0]);
        var text = Assert.Single(JsonDataReader.Parse("{\"a\": [1, \"NaN x\"]}", "d.json").Errors);
        Assert.Equal(("PPL0504", 1, 11), (text.Code, text.Line, text.Column));
        Assert.Contains("NaN x", text.Message);
        var glued = Assert.Single(JsonDataReader.Parse("{\"a\": NaNx}", "d.json").Errors);
        Assert.Equal(("PPL0502", 1, 7), (glued.Code, glued.Line, glued.Column));
        // The stand-in number keeps every later token where it was.
        var after = Assert.Single(JsonDataReader.Parse("{\"a\": [-Infinity, 1,]}", "d.json").Errors);
        Assert.Equal((1, 21), (after.Line, after.Column));
    }

    [Fact]
    public void RaggedArraysPointAtTheOffendingElement()
    {
        var json = "{\n  \"m\": [[1, 2, 3],\n        [4, 5]],\n  \"s\": [1, [2]]\n}";
        var result = JsonDataReader.Parse(json, "r.json");
        Assert.Equal(2, result.Errors.Count);
        var m = result.Errors[0];
        Assert.Equal("PPL0503", m.Code);
        Assert.Equal((3, 9), (m.Line, m.Column));
        Assert.Contains("element 2", m.Message);
        Assert.Contains("shape (2)", m.Message);
        Assert.Contains("shape (3)", m.Message);
        var s = result.Errors[1];
        Assert.Equal("PPL0503", s.Code);
        Assert.Equal((4, 12), (s.Line, s.Column));
        Assert.Equal("r.json:3:9: error PPL0503: " + m.Message, m.ToString());
    }

    [Fact]
    public void RoundTripKeepsTypesShapesAndExactValues()
    {
        var original = new Dictionary<string, DataValue>
        {
            ["n"] = DataValue.Integer(7),
            ["x"] = DataValue.Real(1.0),
            ["tiny"] = DataValue.Real(1e-300),
            ["third"] = DataValue.Real(1.0 / 3),
            ["m"] = new DataValue(NpyArray.Create(new[] { 0.1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.5, 1e22 }, 2, 3), ""),
            ["i"] = new DataValue(NpyArray.Create(new[] { long.MinValue, long.MaxValue }, 2), ""),
            ["b"] = new DataValue(NpyArray.Create(new[] { true, false, true }, 3, 1), ""),
            ["f"] = new DataValue(NpyArray.Create(new[] { 0.1f }, 1), ""),
            ["we\"ird\\name"] = DataValue.Real(2),
        };
        var text = JsonDataWriter.Format(original);
        Assert.Contains("\"x\": 1.0", text);
        Assert.Contains("\"f\": [0.1]", text);
        Assert.Contains("\"m\": [[0.1, \"NaN\", \"inf\"], [\"-inf\", -0.5, 1E+22]]", text);
        var back = Parse(text);
        Assert.Equal(original.Keys, back.Keys);
        foreach (var (name, value) in original)
        {
            Assert.Equal(value.Shape, back[name].Shape);
            Assert.Equal(value.IsInteger, back[name].IsInteger);
            Assert.Equal(value.IsBoolean, back[name].IsBoolean);
        }
        Assert.Equal(original["m"].ToDoubleArray(), back["m"].ToDoubleArray());
        Assert.Equal(1.0 / 3, back["third"].ToDoubleArray()[0]);
        Assert.Equal(1e-300, back["tiny"].ToDoubleArray()[0]);
        Assert.Equal(new[] { long.MinValue, long.MaxValue }, back["i"].ToInt64Array());
        Assert.Equal(0.1f, (float)back["f"].ToDoubleArray()[0]);
    }

    [Fact]
    public void TensorsAreWrittenAndReadBack()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("init.json");
        using var scope = NewDisposeScope();
        var mu = tensor(new[] { 0.5, -1.25 });
        var k = tensor(new[] { 3, 4 }, new long[] { 1, 2 });
        Assert.True(JsonDataWriter.Write(path, new Dictionary<string, TorchSharp.torch.Tensor> { ["mu"] = mu, ["k"] = k }).Succeeded);
        var read = JsonDataReader.Read(path);
        Assert.True(read.Succeeded, read.ToString());
        var muBack = read.Value["mu"].ToTensor(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, muBack.dtype);
        Assert.Equal(-1.25f, muBack[1].item<float>());
        var kBack = read.Value["k"].ToTensor();
        Assert.Equal(ScalarType.Int64, kBack.dtype);
        Assert.Equal(new long[] { 1, 2 }, kBack.shape);
        Assert.Equal(4L, kBack[0, 1].item<long>());
    }

    [Fact]
    public void MissingFileIsAnErrorValue()
    {
        Assert.Equal("PPL0501", Assert.Single(JsonDataReader.Read("/no/such/data.json").Errors).Code);
    }

    [Fact]
    public void DeeplyNestedInputIsRefusedWithoutCrashing()
    {
        var json = "{\"a\": " + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.Equal("PPL0502", Assert.Single(JsonDataReader.Parse(json, "deep.json").Errors).Code);
    }

    private static IReadOnlyDictionary<string, DataValue> Parse(string json)
    {
        var result = JsonDataReader.Parse(json, "data.json");
        Assert.True(result.Succeeded, result.ToString());
        return result.Value;
    }
}
