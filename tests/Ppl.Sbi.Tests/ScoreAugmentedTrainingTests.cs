using Ppl.Runtime.Flows;
using Ppl.Runtime.Sbi;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Sbi.Tests;

public class ScoreAugmentedTrainingTests
{
    private readonly ITestOutputHelper _output;

    public ScoreAugmentedTrainingTests(ITestOutputHelper output) => _output = output;

    // θ ~ N(0, I₂), x = θ + N(0, σ² I₂): the joint score is ∇θ log p(θ, x) = −θ + (x − θ)/σ², which is also
    // ∇θ log p(θ | x), the target of the score-matching term.
    private const double NoiseVariance = 0.25;

    private static Tensor Score(Tensor theta, Tensor x) => TensorArithmetic.Add(-theta, TensorArithmetic.Div((x - theta), NoiseVariance));

    private static readonly FlowArchitecture Smooth = FlowArchitecture.Of(FlowKind.SmoothCoupling) with { Layers = 2, HiddenUnits = 32, MixtureComponents = 4 };

    [Theory]
    [InlineData(FlowKind.AffineCoupling)]
    [InlineData(FlowKind.MaskedAutoregressive)]
    [InlineData(FlowKind.RationalQuadraticSpline)]
    public void NonSmoothFlowsAreRefused(FlowKind kind)
    {
        using var scope = NewDisposeScope();
        var (theta, x) = ConditionalFittingTests.LinearGaussian(50, seed: 1);
        var result = NeuralPosteriorEstimation.TrainWithScore(theta, x, Score(theta, x), 1e-3, FlowArchitecture.Of(kind), new TrainingOptions());
        Assert.False(result.IsSuccess);
        Assert.Equal(SbiError.ScoreNeedsSmoothFlow, result.Error!.Code);
        Assert.Contains(kind.ToString(), result.Error.Message);
    }

    [Fact]
    public void NonSmoothActivationsAreRefusedAndWeightMustBePositive()
    {
        using var scope = NewDisposeScope();
        var (theta, x) = ConditionalFittingTests.LinearGaussian(50, seed: 1);
        var relu = NeuralPosteriorEstimation.TrainWithScore(theta, x, Score(theta, x), 1e-3, Smooth with { Activation = ActivationKind.Relu }, new TrainingOptions());
        Assert.Equal(SbiError.ScoreNeedsSmoothFlow, relu.Error?.Code);
        var zero = NeuralPosteriorEstimation.TrainWithScore(theta, x, Score(theta, x), 0, Smooth, new TrainingOptions());
        Assert.Equal(SbiError.InvalidOption, zero.Error?.Code);
    }

    [Fact]
    public void ScoreTermIsReducedAndBeatsPlainTrainingOnFewSimulations()
    {
        using var scope = NewDisposeScope();
        // Few simulations: the regime where the score helps (Zeghal et al. 2022).
        var (theta, x) = ConditionalFittingTests.LinearGaussian(100, seed: 21);
        var score = Score(theta, x);
        var (testTheta, testX) = ConditionalFittingTests.LinearGaussian(2000, seed: 22);
        var testScore = Score(testTheta, testX);
        var options = new TrainingOptions { BatchSize = 50, LearningRate = 3e-3, MaxEpochs = 40, Patience = 40, ValidationFraction = 0, Seed = 5 };

        using var initial = new ConditionalFlow(Smooth with { Dimension = 2, ContextShape = [2] }, options.Seed);
        initial.FitStandardization(theta, x);
        double before = ConditionalDensityTrainer.ScoreMatchingError(initial, testTheta, testX, testScore);

        var withScore = NeuralPosteriorEstimation.TrainWithScore(theta, x, score, 0.05, Smooth, options);
        Assert.True(withScore.IsSuccess, withScore.Error?.ToString());
        using var augmented = withScore.Value;
        var plainResult = NeuralPosteriorEstimation.Train(theta, x, Smooth, options);
        using var plain = plainResult.Value;

        double after = ConditionalDensityTrainer.ScoreMatchingError(augmented.Flow, testTheta, testX, testScore);
        double plainError = ConditionalDensityTrainer.ScoreMatchingError(plain.Flow, testTheta, testX, testScore);
        _output.WriteLine($"held-out score error: initial {before:F3}, NLL only {plainError:F3}, NLL + score {after:F3}");
        Assert.Equal(0.05, augmented.ScoreWeight); // exact: the option is stored, not computed
        // The exact posterior score has ‖·‖² ≈ E‖(x−θ)/σ² − θ‖² ≈ 10 per simulation at initialisation; training on
        // it must cut the error by a large factor, and by more than likelihood training alone on 100 simulations.
        Assert.True(after < 0.25 * before, $"score error {after:F3} not well below the initial {before:F3}");
        Assert.True(after < plainError, $"score-augmented {after:F3} not below plain {plainError:F3}");
    }

    /// <summary>Rows held in memory, delivered as buffers of a fixed size in the same order every epoch (fresh copies, which the
    /// trainer's scopes dispose).</summary>
    private sealed class MemoryBuffers(Tensor theta, Tensor x, Tensor score, long rows) : ITrainingBuffers
    {
        public long DroppedRows => 0;

        public IEnumerable<SbiResult<TrainingRows>> Epoch(int epoch)
        {
            for (long start = 0; start < theta.shape[0]; start += rows)
            {
                long n = Math.Min(rows, theta.shape[0] - start);
                yield return SbiResult<TrainingRows>.Success(new TrainingRows(theta.narrow(0, start, n).clone(), x.narrow(0, start, n).clone(), score.narrow(0, start, n).clone()));
            }
        }

        public SbiResult<TrainingRows>? Validation() => null;
    }

    [Fact]
    public void StreamedTrainingFitsTheScoreToo()
    {
        using var scope = NewDisposeScope();
        // The test above through StreamedDensityTrainer (`ppl train --from DIR --score-weight`): the same 100 simulations
        // in two buffers of 50. The score term must reach the loss: the held-out score error falls well below its
        // initial value and below that of likelihood training alone.
        var (theta, x) = ConditionalFittingTests.LinearGaussian(100, seed: 21);
        var score = Score(theta, x);
        var (testTheta, testX) = ConditionalFittingTests.LinearGaussian(2000, seed: 22);
        var testScore = Score(testTheta, testX);
        var options = new TrainingOptions { BatchSize = 50, LearningRate = 3e-3, MaxEpochs = 40, Patience = 40, ValidationFraction = 0, Seed = 5 };
        var buffers = new MemoryBuffers(theta, x, score, 50);

        using var initial = new ConditionalFlow(Smooth with { Dimension = 2, ContextShape = [2] }, options.Seed);
        initial.FitStandardization(theta.narrow(0, 0, 50), x.narrow(0, 0, 50));
        double before = ConditionalDensityTrainer.ScoreMatchingError(initial, testTheta, testX, testScore);
        var withScore = StreamedDensityTrainer.Train(buffers, Smooth, options, scoreWeight: 0.05);
        Assert.True(withScore.IsSuccess, withScore.Error?.ToString());
        using var augmented = withScore.Value.Flow;
        var plainResult = StreamedDensityTrainer.Train(buffers, Smooth, options);
        using var plain = plainResult.Value.Flow;

        double after = ConditionalDensityTrainer.ScoreMatchingError(augmented, testTheta, testX, testScore);
        double plainError = ConditionalDensityTrainer.ScoreMatchingError(plain, testTheta, testX, testScore);
        _output.WriteLine($"streamed, held-out score error: initial {before:F3}, NLL only {plainError:F3}, NLL + score {after:F3}");
        Assert.True(after < 0.25 * before, $"score error {after:F3} not well below the initial {before:F3}");
        Assert.True(after < plainError, $"score-augmented {after:F3} not below plain {plainError:F3}");

        // A flow whose gradients are not smooth is refused before any buffer is read.
        var affine = StreamedDensityTrainer.Train(buffers, FlowArchitecture.Of(FlowKind.AffineCoupling), options, scoreWeight: 0.05);
        Assert.Equal(SbiError.ScoreNeedsSmoothFlow, affine.Error?.Code);
    }
}
