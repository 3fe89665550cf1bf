namespace Ppl.Sbi.Tests;

/// <summary>
/// `ppl posterior` refuses an observation holding NaN (a located error, exit 1) and warns when the observation lies
/// farther from the training simulations than any of them (the range is recorded in the bundle at training time).
/// </summary>
public sealed class CliObservationCheckTests : TemporaryFolder
{
    private string TrainedBundle()
    {
        var model = In("gauss.ppl");
        File.WriteAllText(model, """
            model Gauss
            param mu ~ Normal(0, 1)
            observe x: real[2] ~ Normal(mu, 1)
            """);
        var bundle = In("est.pplz");
        var train = CliInvocation.Run("train", model, "--flow", "affine", "--sims", "300", "--epochs", "2", "--seed", "5", "-o", bundle);
        Assert.True(train.Exit == 0, train.ToString());
        return bundle;
    }

    [Fact]
    public void NaNInTheObservationIsALocatedErrorAndAFarObservationAWarning()
    {
        var bundle = TrainedBundle();
        var data = In("obs.json");
        File.WriteAllText(data, """{"x": [0.3, NaN]}""");
        var nan = CliInvocation.Run("posterior", bundle, "--data", data, "-n", "20", "--no-plot", "-o", In("p.csv"));
        Assert.True(nan.Exit == 1, nan.ToString());
        Assert.Contains("SBI112", nan.Err);
        Assert.Contains("x[1]", nan.Err);
        Assert.Contains("obs.json", nan.Err);
        Assert.False(File.Exists(In("p.csv")));

        // x ~ Normal(mu, 1) with mu ~ Normal(0, 1): 300 training rows lie within a few units; 1000 is far outside.
        var far = CliInvocation.Run("posterior", bundle, "--set", "x=[1000.0, 0.5]", "-n", "20", "--no-plot", "-o", In("far.csv"));
        Assert.True(far.Exit == 0, far.ToString());
        Assert.Contains("warning SBI113: the observation lies outside the training simulations", far.Err);
        Assert.Contains("element 0 of x is 1000", far.Err);

        var near = CliInvocation.Run("posterior", bundle, "--set", "x=[0.2, -0.4]", "-n", "20", "--no-plot", "-o", In("near.csv"));
        Assert.True(near.Exit == 0, near.ToString());
        Assert.DoesNotContain("SBI113", near.Err);
    }
}
