using Ppl.Runtime.Flows;
using Ppl.Runtime.Sbi;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Sbi.Tests;

public class TrainerTests
{
    private readonly ITestOutputHelper _output;

    public TrainerTests(ITestOutputHelper output) => _output = output;

    private static readonly FlowArchitecture Small = FlowArchitecture.Of(FlowKind.AffineCoupling) with { Layers = 2, HiddenUnits = 16 };

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Steps { get; } = new();

        public void Report(TrainingProgress value) => Steps.Add(value);
    }

    [Fact]
    public void SameSeedGivesSameWeightsAndDifferentSeedDoesNot()
    {
        using var scope = NewDisposeScope();
        var (theta, x) = ConditionalFittingTests.LinearGaussian(600, seed: 1);
        var options = new TrainingOptions { BatchSize = 64, MaxEpochs = 3, Seed = 17 };
        using var a = NeuralPosteriorEstimation.Train(theta, x, Small, options).Value;
        using var b = NeuralPosteriorEstimation.Train(theta, x, Small, options).Value;
        using var c = NeuralPosteriorEstimation.Train(theta, x, Small, options with { Seed = 18 }).Value;
        var pa = a.Flow.parameters().ToList();
        var pb = b.Flow.parameters().ToList();
        var pc = c.Flow.parameters().ToList();
        double same = pa.Zip(pb).Max(p => (p.First - p.Second).abs().max().item<float>());
        double different = pa.Zip(pc).Max(p => (p.First - p.Second).abs().max().item<float>());
        // Exact by construction: the same seed, data and thread count repeat the same training computation.
        Assert.Equal(0.0, same);
        Assert.True(different > 1e-3);
        Assert.Equal(a.Report!.History.Select(h => h.TrainLoss), b.Report!.History.Select(h => h.TrainLoss));
    }

    [Fact]
    public void NonFiniteRowsAreCountedAndDropped()
    {
        using var scope = NewDisposeScope();
        var (theta, x) = ConditionalFittingTests.LinearGaussian(400, seed: 2);
        theta[3, 0] = tensor(float.NaN);
        x[10, 1] = tensor(float.PositiveInfinity);
        x[11, 0] = tensor(float.NegativeInfinity);
        theta[11, 1] = tensor(float.NaN); // same row as above: counted once
        var result = NeuralPosteriorEstimation.Train(theta, x, Small, new TrainingOptions { MaxEpochs = 2, Seed = 1 });
        Assert.True(result.IsSuccess, result.Error?.ToString());
        using var estimator = result.Value;
        var report = estimator.Report!;
        Assert.Equal(3, report.DroppedRows);
        Assert.Equal(397, report.TrainingRows + report.ValidationRows);
        Assert.Equal(40, report.ValidationRows); // 10% of 397, rounded
        Assert.True(double.IsFinite(report.BestValidationLoss));
    }

    [Fact]
    public void ProgressIsReportedEveryEpochAndEarlyStoppingRestoresTheBest()
    {
        using var scope = NewDisposeScope();
        // A tiny training set and a large learning rate overfit quickly, so validation stops improving.
        var (theta, x) = ConditionalFittingTests.LinearGaussian(120, seed: 3);
        var recorder = new Recorder();
        var options = new TrainingOptions { BatchSize = 16, LearningRate = 1e-2, MaxEpochs = 300, Patience = 5, ValidationFraction = 0.25, Seed = 4 };
        var architecture = Small with { HiddenUnits = 64 };
        var result = NeuralPosteriorEstimation.Train(theta, x, architecture, options, recorder);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        using var estimator = result.Value;
        var report = estimator.Report!;
        Assert.True(report.StoppedEarly);
        Assert.Equal(report.Epochs, recorder.Steps.Count);
        Assert.Equal(Enumerable.Range(1, report.Epochs), recorder.Steps.Select(s => s.Epoch));
        Assert.Equal(report.BestEpoch + options.Patience, report.Epochs);
        var best = recorder.Steps.MinBy(s => s.ValidationLoss);
        Assert.Equal(best.Epoch, report.BestEpoch);
        Assert.True(recorder.Steps.Last().ValidationLoss > best.ValidationLoss);

        // Training is deterministic, so a run stopped at the best epoch ends with the weights the early-stopped
        // run must have restored.
        var stoppedAtBest = NeuralPosteriorEstimation.Train(theta, x, architecture, options with { MaxEpochs = report.BestEpoch }).Value;
        using (stoppedAtBest)
        {
            double difference = estimator.Flow.parameters().Zip(stoppedAtBest.Flow.parameters())
                .Max(p => (p.First - p.Second).abs().max().item<float>());
            _output.WriteLine($"best epoch {report.BestEpoch}/{report.Epochs}; restored vs stopped-at-best max difference {difference}");
            // Exact by construction: both runs perform the same epochs with the same seed, batches and thread count.
            Assert.Equal(0.0, difference);
        }
    }

    [Fact]
    public void LearningRateScheduleIsApplied()
    {
        using var scope = NewDisposeScope();
        var (theta, x) = ConditionalFittingTests.LinearGaussian(200, seed: 3);
        var recorder = new Recorder();
        var options = new TrainingOptions { MaxEpochs = 4, Patience = 10, LearningRate = 1e-3, Schedule = LearningRateSchedule.Exponential(0.5), Seed = 1 };
        using var estimator = NeuralPosteriorEstimation.Train(theta, x, Small, options, recorder).Value;
        Assert.Equal(new[] { 1e-3, 5e-4, 2.5e-4, 1.25e-4 }, recorder.Steps.Select(s => s.LearningRate));
    }

    [Fact]
    public void BadInputsAreErrorValues()
    {
        using var scope = NewDisposeScope();
        var (theta, x) = ConditionalFittingTests.LinearGaussian(100, seed: 3);
        var options = new TrainingOptions { MaxEpochs = 1 };
        var mismatch = NeuralPosteriorEstimation.Train(theta, x.narrow(0, 0, 50), Small, options);
        Assert.Equal(SbiError.ShapeMismatch, mismatch.Error?.Code);
        var allNan = NeuralPosteriorEstimation.Train(full(10, 2, ConstantScalars.Of(float.NaN)), x.narrow(0, 0, 10), Small, options);
        Assert.Equal(SbiError.TooFewRows, allNan.Error?.Code);
        Assert.Contains("10 dropped", allNan.Error!.Message);
        var badOption = NeuralPosteriorEstimation.Train(theta, x, Small, options with { BatchSize = 0 });
        Assert.Equal(SbiError.InvalidOption, badOption.Error?.Code);
    }

    [Fact]
    public void LikelihoodEstimationFitsTheNoiseModel()
    {
        // NLE on x = θ + N(0, 0.25 I): q(x | θ) should approach N(θ, 0.25 I), whose mean NLL is
        // log(2π·0.25) + 1 ≈ 1.451 nats. 2,000 simulations and a short run get within 0.1 of it.
        using var scope = NewDisposeScope();
        var (theta, x) = ConditionalFittingTests.LinearGaussian(2000, seed: 9);
        var options = new TrainingOptions { BatchSize = 100, LearningRate = 5e-3, Schedule = LearningRateSchedule.Cosine, MaxEpochs = 15, Patience = 15, Seed = 2 };
        var result = NeuralLikelihoodEstimation.Train(theta, x, Small with { HiddenUnits = 32 }, options);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        using var estimator = result.Value;
        Assert.Equal(EstimatorKind.Likelihood, estimator.Kind);
        var (tt, xt) = ConditionalFittingTests.LinearGaussian(4000, seed: 10);
        using var noGrad = no_grad();
        double nll = -estimator.LogProb(xt, tt).mean().item<float>();
        double exact = Math.Log(2 * Math.PI * 0.25) + 1;
        _output.WriteLine($"NLE held-out NLL {nll:F3} (exact model {exact:F3})");
        Assert.InRange(nll, exact - 0.05, exact + 0.1);
        var ll = NeuralLikelihoodEstimation.LogLikelihood(estimator, xt.narrow(0, 0, 1), tt.narrow(0, 0, 7));
        Assert.Equal(new long[] { 7 }, ll.shape);
    }
}
