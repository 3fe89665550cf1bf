using Ppl.Cli;
using Ppl.Runtime.IO;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Examples.Tests;

/// <summary>`ppl simulate` as a user runs it: output contents, conditioning from the command line, seeds.</summary>
public class CliSimulateTests
{
    private static string Output(string name) => Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8] + "-" + name);

    [Fact]
    public void WritesParamsLatentsObservationsLetsAndScore()
    {
        var output = Output("ls.npz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var r = CliRunner.Run("simulate", ExampleModels.PathOf("eight_schools"), "-n", "50", "--seed", "4", "--score", "-o", output);
        Assert.Equal(ExitCodes.Ok, r.Exit);
        var read = NpzReader.ReadAllTensors(output);
        Assert.True(read.Succeeded, read.ToString());
        var arrays = read.Value!;
        Assert.Equal(new long[] { 50 }, arrays["mu"].shape);
        Assert.Equal(new long[] { 50, 8 }, arrays["eta"].shape);
        Assert.Equal(new long[] { 50, 8 }, arrays["y"].shape);
        Assert.Equal(new long[] { 50, 8 }, arrays["theta"].shape);
        Assert.Equal(new long[] { 50, 2 }, arrays["score"].shape);
        // theta = mu + tau * eta, recorded exactly as computed.
        var recomputed = TensorArithmetic.Add(arrays["mu"].unsqueeze(1), arrays["tau"].unsqueeze(1) * arrays["eta"]);
        Assert.True((recomputed - arrays["theta"]).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void ConditioningOnParamsWithAndWithoutBatchDimension()
    {
        var dir = Path.GetDirectoryName(Output("x"))!;
        Directory.CreateDirectory(dir);
        var theta = Path.Combine(dir, Guid.NewGuid().ToString("N")[..6] + "-theta.npy");
        NpyWriter.Write(theta, tensor(new double[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }).reshape(3, 2));
        var o1 = Output("c1.npz");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "-n", "3", "--set", $"theta=@{theta}", "-o", o1).Exit);
        var t1 = NpzReader.ReadAllTensors(o1).Value!["theta"];
        Assert.Equal(0.5f, t1[2, 0].item<float>(), 6);
        var o2 = Output("c2.npz");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "-n", "4", "--set", "theta=[0.25, -0.5]", "-o", o2).Exit);
        var t2 = NpzReader.ReadAllTensors(o2).Value!["theta"];
        Assert.Equal(new long[] { 4, 2 }, t2.shape);
        Assert.Equal(-0.5f, t2[3, 1].item<float>(), 6);
        var bad = CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "-n", "4", "--set", "theta=[0.25, -0.5, 1.0]", "-o", Output("c3.npz"));
        Assert.Equal(ExitCodes.ModelError, bad.Exit);
        Assert.Contains("theta", bad.Err);
    }

    [Fact]
    public void SameSeedSameOutputDifferentSeedDifferentOutput()
    {
        string Run(string seed)
        {
            var o = Output($"s{seed}.npz");
            Directory.CreateDirectory(Path.GetDirectoryName(o)!);
            Assert.Equal(ExitCodes.Ok, CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "-n", "20", "--seed", seed, "-o", o, "--chunk", seed == "1" ? "7" : "20").Exit);
            return o;
        }
        var a = NpzReader.ReadAllTensors(Run("1")).Value!["x"];
        var b = NpzReader.ReadAllTensors(Run("1")).Value!["x"];
        var c = NpzReader.ReadAllTensors(Run("2")).Value!["x"];
        // Exact by construction: the same seed, chunk size and thread count repeat the same computation.
        Assert.True(a.equal(b).all().item<bool>());
        Assert.False(a.equal(c).all().item<bool>());
    }
}
