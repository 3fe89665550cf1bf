using Ppl.Runtime.Sbi;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// The optimiser side of compressor training, shared by the in-memory and the streamed trainers: one Adam step per
/// mini-batch of θ and maps — the maps either stored or redrawn from the model for the batch's rows (non-finite redraws
/// left out and counted), optionally turned and mirrored, the loss checked for divergence, gradients clipped.
/// </summary>
internal sealed class CompressorSteps : IDisposable
{
    private readonly MapCompressor _compressor;
    private readonly CompressorArchitecture _architecture;
    private readonly TrainingOptions _options;
    private readonly MapAugmentation? _augmentation;
    private readonly List<TorchSharp.Modules.Parameter> _parameters;
    private readonly AdamOptimizer _optimizer;
    private readonly Device _device;
    private ulong _draw;

    public CompressorSteps(MapCompressor compressor, CompressorArchitecture architecture, CompressorTrainingOptions settings)
    {
        _compressor = compressor;
        _architecture = architecture;
        _options = settings.Training;
        _augmentation = settings.Augment ? new MapAugmentation(_options.Seed) : null;
        _parameters = compressor.parameters().ToList();
        _optimizer = new AdamOptimizer(_parameters, _options.LearningRate);
        _device = _options.Device ?? CPU;
    }

    /// <summary>Redrawn maps that held a NaN or infinity and were left out of their batch.</summary>
    public long NonFiniteRedraws { get; private set; }

    public double LearningRate { set => _optimizer.LearningRate = value; }

    /// <summary>
    /// One step on the batch: θ [b, P] and the stored maps [b, ...site], or, with <paramref name="redraw"/>, maps redrawn
    /// for the stored simulations <paramref name="rows"/> [b]. Returns the batch's loss times its rows and the rows used
    /// (0 when the batch was skipped), or an error when the loss is not finite. Call inside a dispose scope.
    /// </summary>
    public SbiResult<(double Sum, long Rows)> Step(int epoch, Tensor theta, Tensor storedMaps, ObservationRedraw? redraw, Tensor rows)
    {
        long size = theta.shape[0];
        Tensor maps;
        if (redraw is null) maps = storedMaps;
        else
        {
            maps = redraw.Draw(rows, _draw++).to(ScalarType.Float32);
            var ok = maps.isfinite().reshape(size, -1).all(1);
            long good = ok.sum().item<long>();
            if (good < size)
            {
                NonFiniteRedraws += size - good;
                var kept = ok.nonzero().squeeze(1);
                maps = maps.index_select(0, kept);
                theta = theta.index_select(0, kept);
                size = good;
            }
            // Batch normalisation needs two maps per batch.
            if (size < 2) return SbiResult<(double, long)>.Success((0.0, 0L));
        }
        if (size < 2 && _architecture.Preset == CompressorPreset.ResNet18) return SbiResult<(double, long)>.Success((0.0, 0L));
        if (_augmentation is not null) maps = _augmentation.Apply(maps, _architecture.Map);
        _compressor.train();
        _optimizer.ZeroGrad();
        var loss = _compressor.Loss(maps.to(_device), theta.to(_device));
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            return SbiResult<(double, long)>.Failure(SbiError.Diverged,
                $"The training loss became {value} in epoch {epoch}; try a smaller learning rate (--lr) or gradient clipping.");
        loss.backward();
        if (_options.GradientClipNorm > 0) nn.utils.clip_grad_norm_(_parameters, _options.GradientClipNorm);
        _optimizer.Step();
        return SbiResult<(double, long)>.Success((value * size, size));
    }

    public void Dispose() => _optimizer.Dispose();
}
