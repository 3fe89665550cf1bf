using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using Ppl.Tests.Shared;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>NUTS on compiled models through <see cref="ModelLogDensity"/> and <see cref="ModelInitialisation"/>.</summary>
public class ModelSamplingTests
{
    private static Dictionary<string, DataInput> GaussianLinearObservation(out double[] x)
    {
        var read = CsvReader.Read(ReferenceData.PathOf("sbibm", "gaussian_linear", "obs1", "observation.csv"));
        Assert.True(read.Succeeded, read.ToString());
        x = Enumerable.Range(0, 10).Select(j => read.Value.Values[0, j]).ToArray();
        return new Dictionary<string, DataInput> { ["x"] = new(tensor(x), "observation.csv") };
    }

    [Fact]
    public void GaussianLinearPosteriorIsAnalytic()
    {
        var model = ExampleModels.Bind("gaussian_linear", ModelOptions.Float64, GaussianLinearObservation(out var x));
        var (density, error) = ModelLogDensity.Create(model);
        Assert.Null(error);
        var options = new SamplingOptions { Chains = 4, Seed = 17, NumWarmup = 250, NumSamples = 400 };
        var init = ModelInitialisation.Create(model, options.Seed, options.Chains, 1, new Dictionary<string, DataInput>()).Initialisation!;
        var run = HamiltonianSampler.Sample(density!, options, init.Source).GetRunOrThrow();
        // Prior N(0, 0.1) and likelihood N(θ, 0.1) per coordinate: posterior N(x/2, 0.05). θ is unconstrained, so the
        // draws are the positions themselves. 4 MCSE per moment: 20 checks each fail with probability ~6e-5.
        for (int j = 0; j < 10; j++)
        {
            var chains = run.Chains.Select(c => c.Samples.Select(d => d.Position[j]).ToArray()).ToArray();
            PosteriorMoments.Assert(chains, x[j] / 2, Math.Sqrt(0.05), 4, $"theta[{j}]");
        }
        Assert.Equal(0, run.Chains.Sum(c => c.Samples.Count(d => d.Divergent)));
    }

    [Fact]
    public void NumericalFailureIsANonFiniteRowAndOtherRowsAreUnaffected()
    {
        var compilation = ExampleCompilation("model CholeskyCorrelation\nparam a ~ Uniform(-2, 2)\nlet factor = cholesky([[1.0, a], [a, 1.0]])\nobserve y: real[2] ~ Normal(factor[:, 0], 1.0)\n");
        var data = new Dictionary<string, DataInput> { ["y"] = new(tensor(new[] { 0.5, 0.3 }), "test") };
        var model = Model.Bind(compilation.Factory!(), data, ModelOptions.Float64).Model!;
        var density = ModelLogDensity.Create(model).Density!;
        // a = −2 + 4·sigmoid(u): u = 0 gives a = 0 and u = −0.5 gives a ≈ −0.49 (positive definite), u = 3 gives a ≈ 1.81 (not).
        var positions = tensor(new[] { 0.0, 3.0, -0.5 }, new long[] { 3, 1 }, ScalarType.Float64);
        var (lp, grad) = density.Evaluate(positions);
        var alone = density.Evaluate(positions[TensorIndex.Slice(2, 3)]);
        Assert.True(double.IsFinite(lp[0].item<double>()));
        Assert.True(double.IsNaN(lp[1].item<double>()));
        Assert.True(double.IsNaN(grad[1, 0].item<double>()));
        // The rows that succeed equal their evaluation alone: a failing neighbour changes nothing. Exact by construction:
        // after a failed batch every row is re-evaluated alone as a [1, D] batch, the same computation as `alone`.
        Assert.Equal(alone.LogDensity[0].item<double>(), lp[2].item<double>());
        Assert.Equal(alone.Gradient[0, 0].item<double>(), grad[2, 0].item<double>());
        Assert.Equal(1, density.FailedEvaluations);
        Assert.Equal("PPL0490", density.LastFailure!.Code);
        Assert.Equal(3, density.LastFailure.Location.Line);
    }

    [Fact]
    public void MissingObservationIsAnErrorBeforeSampling()
    {
        var model = ExampleModels.Bind("gaussian_linear", ModelOptions.Float64, new Dictionary<string, DataInput>());
        var (density, error) = ModelLogDensity.Create(model);
        Assert.Null(density);
        Assert.Equal("PPL0408", error!.Code);
        Assert.Equal(10, error.Location.Line);
    }

    [Fact]
    public void GivenValuesAreKeptPerChainAndTheRestComesFromThePrior()
    {
        var model = ExampleModels.Bind("eight_schools", ModelOptions.Float64);
        var eta = Enumerable.Range(0, 8).Select(i => 0.1 * i - 0.3).ToArray();
        var given = new Dictionary<string, DataInput>
        {
            ["tau"] = new(tensor(new[] { 2.0, 5.0 }), "test"),         // one value per chain
            ["eta"] = new(tensor(eta), "test"),                          // shared
        };
        var init = ModelInitialisation.Create(model, 4, 2, 1, given).Initialisation!;
        Assert.Empty(init.CheckSupports(2));
        var chain1 = init.Position(1, 0);
        var chain2 = init.Position(2, 0);
        var retry = init.Position(1, 1);
        // Layout: mu, log tau, eta (params first). The bijector of tau > 0 is exp, so u = log tau.
        Assert.Equal(Math.Log(2.0), chain1[1], 12);
        Assert.Equal(Math.Log(5.0), chain2[1], 12);
        for (int i = 0; i < 8; i++) Assert.Equal(eta[i], chain1[2 + i], 12);
        // mu was not given: drawn from its prior, differently per chain and per attempt, reproducibly.
        Assert.NotEqual(chain1[0], chain2[0]);
        Assert.NotEqual(chain1[0], retry[0]);
        // Exact by construction: the same call with the same arguments repeats the same computation.
        Assert.Equal(chain1, init.Position(1, 0));
        Assert.Equal(Math.Log(2.0), retry[1], 12);
    }

    [Fact]
    public void PriorVarianceIsThePriorsCappedAtOne()
    {
        // gaussian_linear: θ ~ N(0, 0.1 I), unconstrained as is. 200 draws estimate a variance to ±10% (one sd), so
        // ±35% is 3.5 sd.
        var linear = ExampleModels.Bind("gaussian_linear", ModelOptions.Float64, GaussianLinearObservation(out _));
        var init = ModelInitialisation.Create(linear, 3, 1, 1, new Dictionary<string, DataInput>()).Initialisation!;
        var variance = init.PriorVariance(200)!;
        Assert.Equal(10, variance.Length);
        Assert.All(variance, v => Assert.InRange(v, 0.065, 0.135));
        Assert.Equal(variance, init.PriorVariance(200)!);   // seeded: the same draws every time

        // Eight schools: μ ~ N(0, 5) and log τ (τ ~ HalfCauchy(5)) are wider than 1, so capped; η ~ N(0, 1) stays near 1.
        var eight = ModelInitialisation.Create(ExampleModels.Bind("eight_schools", ModelOptions.Float64), 3, 1, 1,
            new Dictionary<string, DataInput>()).Initialisation!.PriorVariance(200)!;
        Assert.Equal(1.0, eight[0]);
        Assert.Equal(1.0, eight[1]);
        Assert.All(eight.Skip(2), v => Assert.InRange(v, 0.65, 1.0));
    }

    [Fact]
    public void UniformFallbackKeepsGivenValues()
    {
        var model = ExampleModels.Bind("eight_schools", ModelOptions.Float64);
        var given = new Dictionary<string, DataInput> { ["mu"] = DataInput.Scalar(7.0, "test") };
        var init = ModelInitialisation.Create(model, 4, 1, 1, given, InitialValueSource.Uniform, radius: 0.5).Initialisation!;
        var u = init.Position(1, 0);
        Assert.Equal(7.0, u[0], 12);
        Assert.All(u.Skip(1), v => Assert.InRange(v, -0.5, 0.5));
    }

    [Fact]
    public void BadGivenValuesAreLocatedErrors()
    {
        var model = ExampleModels.Bind("eight_schools", ModelOptions.Float64);
        var shape = ModelInitialisation.Create(model, 1, 4, 1, new Dictionary<string, DataInput> { ["eta"] = new(zeros(3, ScalarType.Float64), "z.npy") });
        Assert.Null(shape.Initialisation);
        var e = Assert.Single(shape.Diagnostics);
        Assert.Equal("PPL0403", e.Code);
        Assert.Equal(9, e.Location.Line);
        Assert.Contains("z.npy", e.Message);
        Assert.Contains("[4, 8]", e.Hint);

        var nan = ModelInitialisation.Create(model, 1, 4, 1, new Dictionary<string, DataInput> { ["mu"] = DataInput.Scalar(double.NaN, "test") });
        Assert.Equal("PPL0402", Assert.Single(nan.Diagnostics).Code);

        var outside = ModelInitialisation.Create(model, 1, 2, 1, new Dictionary<string, DataInput> { ["tau"] = DataInput.Scalar(0.0, "test") }).Initialisation!;
        var support = Assert.Single(outside.CheckSupports(2));
        Assert.Equal("PPL0409", support.Code);
        Assert.Equal(8, support.Location.Line);
        // The sampler would see a failed attempt, not a point on the boundary.
        Assert.All(outside.Position(1, 0), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void LatentFieldModelSamplesAfterInitialisationFromThePrior()
    {
        // The Gaussian random field on an 8×8 grid: a few iterations run and stay finite.
        var data = new Dictionary<string, DataInput> { ["N"] = ExampleModels.Int(8) };
        var model = ExampleModels.BindWithSimulatedObservations("gaussian_random_field", ModelOptions.Float64, 3, data);
        var density = ModelLogDensity.Create(model).Density!;
        var init = ModelInitialisation.Create(model, 5, 2, 1, new Dictionary<string, DataInput>()).Initialisation!;
        var run = HamiltonianSampler.Sample(density, new SamplingOptions { Chains = 2, Seed = 5, NumWarmup = 6, NumSamples = 4, MaxTreeDepth = 4 }, init.Source).GetRunOrThrow();
        Assert.Equal(2 + 8 * 8, run.Dimension);
        Assert.All(run.Chains, c => Assert.All(c.Samples, d => Assert.True(double.IsFinite(d.LogDensity))));
    }

    private static Ppl.Compiler.Compilation ExampleCompilation(string text)
    {
        var c = Ppl.Compiler.Driver.Compile(CliRunner.WriteModel(text), text);
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        return c;
    }
}
