namespace Ppl.Examples.Tests;

/// <summary>
/// `ppl sample` on bounds that depend on another parameter (a hierarchical pattern): the clamp that keeps values inside
/// their bounds must pass gradients to the bounds (it used to abort the process: libtorch has no derivative for
/// nextafter).
/// </summary>
public class CliBoundDependentTests
{
    private const string Model = """
        model BoundDependent

        param a ~ Uniform(0.5, 2)
        param b ~ Uniform(a, a + 1)
        param c ~ Uniform(0, a)
        param d ~ TruncatedNormal(1, 1, lower = a)
        latent z: real[3] ~ Uniform(-a, a)
        observe y ~ Normal(b + c + d + z[1], 1)
        """;

    [Fact]
    public void SampleRunsAndEveryDrawRespectsItsParameterDependentBounds()
    {
        var model = CliRunner.WriteModel(Model);
        var outcome = SampleRuns.Run("bounds", model, "--set", "y=3.0", "--chains", "2", "--warmup", "60", "--draws", "60",
            "--seed", "7", "--save-latents");
        SampleRuns.Succeeded(outcome.Cli);
        foreach (var t in outcome.Tables(2))
        {
            Assert.Equal(60, t.RowCount);
            var a = t.Column("a");
            var (b, c, d) = (t.Column("b"), t.Column("c"), t.Column("d"));
            var z = t.Column("z.2");
            for (int i = 0; i < a.Length; i++)
            {
                Assert.InRange(a[i], 0.5, 2.0);
                Assert.True(b[i] > a[i] && b[i] < a[i] + 1, $"b = {b[i]} outside (a, a + 1) with a = {a[i]}");
                Assert.True(c[i] > 0 && c[i] < a[i], $"c = {c[i]} outside (0, a) with a = {a[i]}");
                Assert.True(d[i] > a[i], $"d = {d[i]} not above a = {a[i]}");
                Assert.True(Math.Abs(z[i]) < a[i], $"z.2 = {z[i]} outside (-a, a) with a = {a[i]}");
            }
        }
    }
}
