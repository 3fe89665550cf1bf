using Ppl.Runtime.IO;
using Ppl.Runtime.Tensors;

namespace Ppl.Sbi.Tests;

/// <summary>Score-augmented NPE through the CLI on the Lotka–Volterra example (latent initial populations, a 1-D CNN
/// embedding of the [10, 2] series), and its refusal of flows whose gradients are not smooth.</summary>
public sealed class CliScoreAugmentedTests : TemporaryFolder
{
    [Fact]
    public void SmoothFlowTrainsWithTheJointScoreAndSamplesPositiveRates()
    {
        var model = CliInvocation.Example("lotka_volterra");
        var bundle = In("lv.pplz");
        var train = CliInvocation.Run("train", model, "--method", "npe", "--flow", "smooth", "--embedding", "cnn", "--score-weight", "1e-7",
            "--sims", "100", "--epochs", "5", "--hidden", "32", "--layers", "3", "--seed", "1", "-o", bundle);
        Assert.True(train.Exit == 0, train.ToString());
        Assert.Contains("score-augmented NPE", train.Out);
        Assert.Contains("y [10, 2] as a series", train.Out);

        var observation = In("observation.npz");
        var simulate = CliInvocation.Run("simulate", model, "-n", "1", "--seed", "77", "-o", observation);
        Assert.True(simulate.Exit == 0, simulate.ToString());
        var posterior = In("posterior.npz");
        var sample = CliInvocation.Run("posterior", bundle, "--data", observation, "-n", "300", "--seed", "2", "-o", posterior);
        Assert.True(sample.Exit == 0, sample.ToString());
        Assert.True(File.Exists(In("posterior.png")));

        var read = NpzReader.ReadAllTensors(posterior);
        Assert.True(read.Succeeded, read.ToString());
        using var theta = read.Value!["theta"];
        Assert.Equal(new long[] { 300, 4 }, theta.shape);
        // The rates have log-normal priors: the flow models log θ, so every draw is positive and finite.
        Assert.True(theta.gt(ConstantScalars.Of(0)).all().item<bool>() && theta.isfinite().all().item<bool>());
    }

    [Fact]
    public void NonSmoothFlowsAndNleAreRefused()
    {
        var model = CliInvocation.Example("lotka_volterra");
        var affine = CliInvocation.Run("train", model, "--flow", "affine", "--score-weight", "1e-7", "--sims", "50", "-o", In("a.pplz"));
        Assert.Equal(1, affine.Exit);
        Assert.Contains("SBI101", affine.Err);
        Assert.Contains("--flow smooth", affine.Err);
        Assert.False(File.Exists(In("a.pplz")));

        var nle = CliInvocation.Run("train", model, "--method", "nle", "--flow", "smooth", "--score-weight", "1e-7", "--sims", "50", "-o", In("b.pplz"));
        Assert.Equal(2, nle.Exit);
        Assert.Contains("--score-weight is for NPE", nle.Err);
    }
}
