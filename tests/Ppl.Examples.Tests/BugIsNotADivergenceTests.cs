using Ppl.Cli;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// Only domain failures (a Cholesky factor of a matrix that is not positive definite, a runtime
/// <see cref="ModelDomainException"/>) reject a proposal; an exception that signals a bug (an index out of range in the
/// emitted code) stops the run as an internal error (exit 3) at the model statement, never as a divergence.
/// </summary>
public class BugIsNotADivergenceTests
{
    private const string Text = "model CholeskyCorrelation\nparam a ~ Uniform(-2, 2)\nlet factor = cholesky([[1.0, a], [a, 1.0]])\nobserve y: real[2] ~ Normal(factor[:, 0], 1.0)\n";

    /// <summary>The compiled model with its observation (line 4) failing the way a bug in emitted or runtime code would.</summary>
    private sealed class FaultyModel(IGeneratedModel inner, Exception failure) : IGeneratedModel
    {
        public ModelDescription Description => inner.Description;

        public void Bind(IDataBinder binder) => inner.Bind(binder);

        public void Run(IModelContext context) => inner.Run(new FaultyContext(context, failure));

        public void RunPrior(IModelContext context) => inner.RunPrior(new FaultyContext(context, failure));
    }

    private sealed class FaultyContext(IModelContext inner, Exception failure) : IModelContext
    {
        public long BatchSize => inner.BatchSize;

        public ScalarType RealType => inner.RealType;

        public Device Device => inner.Device;

        public Tensor Param(int site, Ppl.Runtime.Distributions.Distribution prior) => inner.Param(site, prior);

        public Tensor Latent(int site, Ppl.Runtime.Distributions.Distribution distribution) => inner.Latent(site, distribution);

        public Tensor Observe(int site, Ppl.Runtime.Distributions.Distribution likelihood) => throw failure;

        public Tensor ObserveExact(int site, Tensor value) => inner.ObserveExact(site, value);

        public Tensor LatentStep(int site, long step, Ppl.Runtime.Distributions.Distribution distribution) => inner.LatentStep(site, step, distribution);

        public Tensor ObserveStep(int site, long step, Ppl.Runtime.Distributions.Distribution likelihood) => throw failure;

        public Tensor StackSteps(int site, List<Tensor> steps) => inner.StackSteps(site, steps);

        public void Record(int let, Tensor value) => inner.Record(let, value);

        public void Factor(Tensor value, bool batched) => inner.Factor(value, batched);
    }

    private static ModelLogDensity Density(Func<IGeneratedModel, IGeneratedModel>? wrap = null)
    {
        var compilation = Ppl.Compiler.Driver.Compile(CliRunner.WriteModel(Text), Text);
        Assert.False(compilation.HasErrors, compilation.RenderDiagnostics());
        var data = new Dictionary<string, DataInput> { ["y"] = new(tensor(new[] { 0.5, 0.3 }), "test") };
        var generated = compilation.Factory!();
        var model = Model.Bind(wrap is null ? generated : wrap(generated), data, ModelOptions.Float64).Model!;
        return ModelLogDensity.Create(model).Density!;
    }

    [Theory]
    [InlineData(typeof(IndexOutOfRangeException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(NotSupportedException))]
    public void ABugExceptionStopsTheRunWithTheModelLocation(Type kind)
    {
        var failure = (Exception)Activator.CreateInstance(kind, "emitted code indexed past the end")!;
        var density = Density(g => new FaultyModel(g, failure));
        using var positions = tensor(new[] { 0.0, -0.5 }, new long[] { 2, 1 }, ScalarType.Float64);
        var thrown = Assert.Throws<ModelInternalException>(() => density.Evaluate(positions));
        Assert.Same(failure, thrown.InnerException);
        Assert.Equal(0, density.FailedEvaluations);
        // The location is the statement that was running (the generated code records each one): the observe on line 4.
        Assert.Equal(4, thrown.Location.Line);
        Assert.EndsWith("model.ppl", thrown.Location.File);

        // The sampler does not absorb it either, and the CLI reports it as an internal error at that location.
        var options = new SamplingOptions { Chains = 1, Seed = 1, NumWarmup = 5, NumSamples = 5 };
        var escaped = Assert.Throws<ModelInternalException>(() => HamiltonianSampler.Sample(density, options, (_, _) => [0.0]));
        var err = new StringWriter();
        int exit = InternalErrorRendering.Write(new CliContext(TextWriter.Null, err, false, CancellationToken.None), escaped);
        Assert.Equal(ExitCodes.InternalError, exit);
        Assert.Contains("model.ppl:4:", err.ToString());
        Assert.Contains(kind.Name, err.ToString());
        Assert.Contains("internal error", err.ToString());
    }

    [Fact]
    public void ACholeskyFailureStillRejectsTheProposal()
    {
        var density = Density();
        // a = −2 + 4·sigmoid(u): u = 3 gives a ≈ 1.81, and [[1, a], [a, 1]] is not positive definite.
        using var positions = tensor(new[] { 3.0 }, new long[] { 1, 1 }, ScalarType.Float64);
        var (lp, _) = density.Evaluate(positions);
        Assert.True(double.IsNaN(lp[0].item<double>()));
        Assert.Equal(1, density.FailedEvaluations);
        Assert.Equal("PPL0490", density.LastFailure!.Code);
        Assert.Equal(3, density.LastFailure.Location.Line);
    }

    [Fact]
    public void OnlyDocumentedFailuresAreDomainFailures()
    {
        Assert.True(ModelFailures.IsDomainFailure(new ModelDomainException("odeint_adaptive: the solution became NaN")));
        Assert.True(ModelFailures.IsDomainFailure(new System.Runtime.InteropServices.ExternalException(
            "linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite).")));
        Assert.False(ModelFailures.IsDomainFailure(new System.Runtime.InteropServices.ExternalException(
            "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1")));
        Assert.False(ModelFailures.IsDomainFailure(new ArgumentException("bad")));
        Assert.False(ModelFailures.IsDomainFailure(new IndexOutOfRangeException()));
    }
}
