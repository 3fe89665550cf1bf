using Ppl.Runtime.Tensors;
using Ppl.Runtime.Compression;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>
/// Compressors on the Gaussian random field whose amplitude A is the only param (16 × 16 maps): every loss learns a
/// summary monotone in A on held-out simulations, VMIM's flow recovers the exact posterior, and the redrawn noise has
/// the model's moments.
/// </summary>
public class CompressionTrainingTests
{
    private readonly ITestOutputHelper _output;

    public CompressionTrainingTests(ITestOutputHelper output) => _output = output;

    private const int TrainingSims = 800;
    private const int HeldOut = 200;

    /// <summary>Simulations of the field: the first <see cref="TrainingSims"/> to train on, the rest held out.</summary>
    private static readonly Lazy<(Model Model, Simulation Simulation)> Simulations = new(() =>
    {
        var model = CompressionModels.BindGrf();
        var simulation = model.Simulate(new SimulationRequest(TrainingSims + HeldOut, 11) { UnconstrainedParams = true, RecordLets = new HashSet<string>() });
        foreach (var t in simulation.Values.Values) t.DetachFromDisposeScope();
        simulation.UnconstrainedParams!.DetachFromDisposeScope();
        return (model, simulation);
    });

    internal static CompressorArchitecture Architecture(CompressionLoss loss) => new()
    {
        Preset = CompressorPreset.Cnn,
        Loss = loss,
        Map = MapShape.Of([CompressionModels.N, CompressionModels.N]).Shape!,
        Summaries = 1,
        Params = 1,
        FlowLayers = 2,
        FlowHiddenUnits = 32,
    };

    private static CompressorTraining Train(CompressionLoss loss, bool redraw = true, int epochs = 12)
    {
        var (model, simulation) = Simulations.Value;
        var theta = simulation.UnconstrainedParams!.narrow(0, 0, TrainingSims);
        var maps = simulation.Values["y"].narrow(0, 0, TrainingSims);
        var stored = ObservationRedraw.ConditioningSites(model).ToDictionary(s => s.Name, s => simulation.Values[s.Name].narrow(0, 0, TrainingSims));
        var noise = redraw ? ObservationRedraw.Create(model, "y", stored, 3).Redraw : null;
        var options = new TrainingOptions
        {
            BatchSize = 50, LearningRate = loss == CompressionLoss.Gnll ? 1e-3 : 3e-3, MaxEpochs = epochs, Patience = epochs, Seed = 7,
            Schedule = CompressorTrainingOptions.PaperSchedule(epochs),
        };
        var result = CompressorTrainer.Train(Architecture(loss), theta, maps, noise, new CompressorTrainingOptions(options, Augment: true));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private static double HeldOutSpearman(MapCompressor compressor)
    {
        var (_, simulation) = Simulations.Value;
        using var scope = NewDisposeScope();
        var t = compressor.Summarize(simulation.Values["y"].narrow(0, TrainingSims, HeldOut)).to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        var a = simulation.Values["amplitude"].narrow(0, TrainingSims, HeldOut).to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        return CompressionModels.Spearman(t, a);
    }

    [Theory]
    [InlineData(CompressionLoss.Mse)]
    [InlineData(CompressionLoss.Mae)]
    [InlineData(CompressionLoss.Gnll)]
    [InlineData(CompressionLoss.Vmim)]
    public void EveryLossLearnsASummaryMonotoneInTheAmplitude(CompressionLoss loss)
    {
        var training = Train(loss);
        using var compressor = training.Compressor;
        double rho = HeldOutSpearman(compressor);
        _output.WriteLine($"{loss}: Spearman {rho:F3}, {training.Report.Epochs} epochs, best {training.Report.BestEpoch}, {training.Report.Seconds:F1} s, " +
            $"validation loss {training.Report.BestValidationLoss:F4}");
        // VMIM's summary may decrease with A; the regression losses estimate log A itself.
        Assert.True(loss == CompressionLoss.Vmim ? Math.Abs(rho) > 0.9 : rho > 0.9, $"Spearman {rho}");
        Assert.Equal(0, training.NonFiniteRedraws);
    }

    [Fact]
    public void RedrawnNoiseHasTheModelsMoments()
    {
        var model = CompressionModels.BindGrf();
        using var scope = NewDisposeScope();
        var simulation = model.Simulate(new SimulationRequest(3, 21) { RecordLets = new HashSet<string> { "field" } });
        var stored = ObservationRedraw.ConditioningSites(model).ToDictionary(s => s.Name, s => simulation.Values[s.Name]);
        Assert.Equal(["amplitude", "z"], stored.Keys.Order());
        var redraw = ObservationRedraw.Create(model, "y", stored, 5).Redraw!;
        var rows = zeros(400, ScalarType.Int64).index_fill(0, arange(ConstantScalars.Of(200), ConstantScalars.Of(400), ConstantScalars.Of(1)), ConstantScalars.Of(2));
        var y = redraw.Draw(rows, 0).to_type(ScalarType.Float64);
        var field = simulation.Values["field"].to_type(ScalarType.Float64);
        var first = y.narrow(0, 0, 200).sub(field[0]);
        var third = y.narrow(0, 200, 200).sub(field[2]);
        foreach (var residual in new[] { first, third })
        {
            double mean = residual.mean().item<double>();
            double sd = residual.std().item<double>();
            long count = residual.numel();
            // Mean within 4 standard errors; sd within 4 standard errors of a normal sample's sd (σ/√(2n)).
            Assert.True(Math.Abs(mean) < 4 * CompressionModels.Noise / Math.Sqrt(count), $"mean {mean}");
            Assert.True(Math.Abs(sd - CompressionModels.Noise) < 4 * CompressionModels.Noise / Math.Sqrt(2.0 * count), $"sd {sd}");
        }
        // Each call draws new noise; the same call number draws the same.
        var again = redraw.Draw(rows, 0).to_type(ScalarType.Float64);
        var next = redraw.Draw(rows, 1).to_type(ScalarType.Float64);
        Assert.Equal(0.0, again.sub(y).abs().max().item<double>());
        Assert.True(next.sub(y).abs().mean().item<double>() > 0.1);
        // The stored map's own noise is not reused.
        Assert.True(y[0].sub(simulation.Values["y"][0].to_type(ScalarType.Float64)).abs().mean().item<double>() > 0.1);
    }

    [Fact]
    public void RedrawNeedsEveryParamAndLatent()
    {
        var model = CompressionModels.BindGrf();
        using var scope = NewDisposeScope();
        var (redraw, missing) = ObservationRedraw.Create(model, "y", new Dictionary<string, Tensor> { ["amplitude"] = ones(4) }, 1);
        Assert.Null(redraw);
        Assert.Equal(["z"], missing);
    }

    [Fact]
    public void VmimFlowRecoversTheExactPosterior()
    {
        var training = Train(CompressionLoss.Vmim, epochs: 20);
        using var compressor = training.Compressor;
        var (_, simulation) = Simulations.Value;
        using var scope = NewDisposeScope();
        var flow = compressor.Flow!;
        var worst = 0.0;
        for (int i = 0; i < 4; i++)
        {
            var y = simulation.Values["y"].narrow(0, TrainingSims + i, 1);
            var (grid, logPosterior) = CompressionModels.ExactPosterior(y.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray());
            var (mean, sd) = CompressionModels.Moments(grid, logPosterior);
            var t = compressor.Summarize(y);
            var u = compressor.ThetaStandardizer.Inverse(flow.Sample(4000, t, (ulong)(100 + i))).to_type(ScalarType.Float64);
            double qMean = u.mean().item<double>(), qSd = u.std().item<double>();
            _output.WriteLine($"obs {i}: exact {mean:F3} ± {sd:F3}, VMIM {qMean:F3} ± {qSd:F3}");
            worst = Math.Max(worst, Math.Abs(qMean - mean) / sd);
            Assert.True(Math.Abs(qSd / sd - 1) < 0.35, $"obs {i}: sd {qSd} vs exact {sd}");
        }
        Assert.True(worst < 0.75, $"posterior means differ by {worst} exact sds");
    }

    [Fact]
    public void SameSeedGivesTheSameCompressor()
    {
        using var a = Train(CompressionLoss.Mae, epochs: 2).Compressor;
        using var b = Train(CompressionLoss.Mae, epochs: 2).Compressor;
        using var scope = NewDisposeScope();
        var maps = Simulations.Value.Simulation.Values["y"].narrow(0, TrainingSims, 20);
        Assert.Equal(0.0, a.Summarize(maps).sub(b.Summarize(maps)).abs().max().item<float>());
    }
}
