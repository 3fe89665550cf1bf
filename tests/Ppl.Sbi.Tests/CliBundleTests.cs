using Ppl.Runtime.Tensors;
namespace Ppl.Sbi.Tests;

/// <summary>Bundles written by `ppl train` find their model again, refuse a changed one, and training from an archive of
/// `ppl simulate` or with non-finite simulations behaves as documented.</summary>
public sealed class CliBundleTests : TemporaryFolder
{
    [Fact]
    public void ChangedModelIsRefusedAndTheOriginalIsAccepted()
    {
        var model = In("two_moons.ppl");
        File.Copy(CliInvocation.Example("two_moons"), model);
        var simulations = In("sims.npz");
        Assert.Equal(0, CliInvocation.Run("simulate", model, "-n", "300", "--seed", "1", "-o", simulations).Exit);

        var bundle = In("est.pplz");
        var train = CliInvocation.Run("train", model, "--from", simulations, "--flow", "maf", "--epochs", "2", "--seed", "1", "-o", bundle);
        Assert.True(train.Exit == 0, train.ToString());
        Assert.Contains("sims.npz", train.Out);
        Assert.Contains("300", train.Out);

        // The bundle names its model: no --model needed while it is unchanged.
        var args = new[] { "posterior", bundle, "--set", "x=[0.1, -0.2]", "-n", "50", "--no-plot", "-o", In("p.csv") };
        var first = CliInvocation.Run(args);
        Assert.True(first.Exit == 0, first.ToString());

        File.AppendAllText(model, "// edited after training\n");
        var refused = CliInvocation.Run(args);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("SBI203", refused.Err);
        Assert.Contains("the model changed since training", refused.Err);

        // The example file still has the text the estimator was trained on.
        var accepted = CliInvocation.Run([.. args, "--model", CliInvocation.Example("two_moons")]);
        Assert.True(accepted.Exit == 0, accepted.ToString());
    }

    [Fact]
    public void NonFiniteSimulationsAreReportedAndDropped()
    {
        // log(mu) is NaN for the half of the prior below zero, and so is every x drawn there.
        var model = In("half_nan.ppl");
        File.WriteAllText(model, """
            model HalfNan
            param mu ~ Normal(0, 1)
            observe x: real[2] ~ Normal(log(mu), 1)
            """);
        var train = CliInvocation.Run("train", model, "--flow", "affine", "--sims", "400", "--epochs", "2", "--seed", "3", "-o", In("e.pplz"));
        Assert.True(train.Exit == 0, train.ToString());
        var warning = System.Text.RegularExpressions.Regex.Match(train.Err, @"warning: (\d+) of 400 simulations hold NaN or infinite values");
        Assert.True(warning.Success, train.ToString());
        int dropped = int.Parse(warning.Groups[1].Value);
        // Binomial(400, 1/2): 200 ± 10; ±60 is six standard deviations.
        Assert.InRange(dropped, 140, 260);
        Assert.Contains($"{dropped} dropped", train.Out);
    }

    [Fact]
    public void TrainingReadsAnHdf5Archive()
    {
        var simulations = In("sims.h5");
        Assert.Equal(0, CliInvocation.Run("simulate", CliInvocation.Example("two_moons"), "-n", "200", "--seed", "1", "-o", simulations).Exit);
        Assert.Equal(0, CliInvocation.Run("simulate", CliInvocation.Example("two_moons"), "-n", "100", "--seed", "1", "--append", "-o", simulations).Exit);
        var train = CliInvocation.Run("train", CliInvocation.Example("two_moons"), "--from", simulations, "--flow", "maf", "--epochs", "2",
            "--seed", "1", "--no-plots", "-o", In("est.pplz"));
        Assert.True(train.Exit == 0, train.ToString());
        Assert.Contains("simulations   300 (" + simulations + ")", train.Out);
        Assert.False(File.Exists(In("est.loss.png")));
    }

    [Fact]
    public void ArchiveWithoutTheObservationsIsRefused()
    {
        var simulations = In("theta_only.npz");
        using (var theta = TensorArithmetic.Sub(TensorArithmetic.Mul(TorchSharp.torch.rand(20, 2), 2), 1))
            Assert.True(Ppl.Runtime.IO.NpzWriter.Write(simulations, [KeyValuePair.Create("theta", theta)]).Succeeded);
        var train = CliInvocation.Run("train", CliInvocation.Example("two_moons"), "--from", simulations, "-o", In("e.pplz"));
        Assert.Equal(1, train.Exit);
        Assert.Contains("SBI108", train.Err);
        Assert.Contains("'x'", train.Err);
        Assert.Equal(2, CliInvocation.Run("train", CliInvocation.Example("two_moons"), "--from", In("missing.npz"), "-o", In("e.pplz")).Exit);
    }
}
