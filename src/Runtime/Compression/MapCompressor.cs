using Ppl.Runtime.Flows;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// A neural compressor of an observed map: per-channel standardisation of the map, a <see cref="MapEncoder"/>, a linear
/// head to the summaries (and GNLL's Cholesky entries), the standardisation of θ (the params' unconstrained vector) the
/// losses compare against, and, for VMIM, the flow q(θ | t) trained with it. Weights come from the seed; float32.
/// </summary>
public sealed class MapCompressor : nn.Module
{
    private readonly Standardizer mapStandardizer;
    private readonly Standardizer thetaStandardizer;
    private readonly MapEncoder encoder;
    private readonly Linear head;
    private readonly ConditionalFlow? flow;

    public MapCompressor(CompressorArchitecture architecture, ulong seed) : base(nameof(MapCompressor))
    {
        if (architecture.Problem() is { } problem) throw new ArgumentException(problem, nameof(architecture));
        Architecture = architecture;
        Seed = seed;
        var initializer = new SeededInitializer(seed);
        mapStandardizer = new Standardizer([architecture.Map.ChannelCount, 1, 1]);
        thetaStandardizer = new Standardizer([architecture.Params]);
        encoder = MapEncoder.Create(architecture, initializer);
        head = initializer.Linear(encoder.Features, architecture.NetworkOutputs);
        if (architecture.Loss == CompressionLoss.Vmim)
        {
            flow = new ConditionalFlow(new FlowArchitecture
            {
                Kind = FlowKind.AffineCoupling,
                Dimension = architecture.Params,
                ContextShape = [architecture.Summaries],
                Layers = architecture.FlowLayers,
                HiddenUnits = architecture.FlowHiddenUnits,
                HiddenLayers = architecture.FlowHiddenLayers,
                Activation = ActivationKind.Silu,
            }, seed ^ 0x9E3779B97F4A7C15UL);
        }
        RegisterComponents();
        DetachWeightsFromDisposeScope();
    }

    public CompressorArchitecture Architecture { get; }

    public ulong Seed { get; }

    /// <summary>Per-channel map standardisation [1, C, 1, 1].</summary>
    public Standardizer MapStandardizer => mapStandardizer;

    /// <summary>Standardisation of θ [1, P].</summary>
    public Standardizer ThetaStandardizer => thetaStandardizer;

    /// <summary>VMIM's q(θ_std | t) (null for the other losses).</summary>
    public ConditionalFlow? Flow => flow;

    /// <summary>Fits the map standardisation per channel from maps [n, ...site] and θ's from [n, P].</summary>
    public void FitStandardization(Tensor maps, Tensor theta)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var images = Architecture.Map.ToImages(maps.to(ScalarType.Float32));
        var mean = images.mean([0, 2, 3], keepdim: true);
        var std = images.std([0, 2, 3], keepdim: true);
        std = where(std.gt(1e-12), std, ones_like(std));
        mapStandardizer.Set(mean, std);
        thetaStandardizer.Fit(theta);
    }

    /// <summary>The network's raw outputs [n, NetworkOutputs] for maps [n, ...site].</summary>
    public Tensor Outputs(Tensor maps)
    {
        var images = mapStandardizer.Forward(Architecture.Map.ToImages(maps.to(mapStandardizer.Mean.dtype, mapStandardizer.Mean.device)));
        return head.forward(encoder.Forward(images.contiguous()));
    }

    /// <summary>
    /// The loss of a batch: maps [n, ...site] and θ [n, P] in the unconstrained space (standardised here).
    /// </summary>
    public Tensor Loss(Tensor maps, Tensor theta)
    {
        var outputs = Outputs(maps);
        var target = thetaStandardizer.Forward(theta.to(outputs.dtype, outputs.device));
        int d = Architecture.Summaries;
        var t = outputs.narrow(1, 0, d);
        return Architecture.Loss switch
        {
            CompressionLoss.Mse => CompressionLosses.MeanSquaredError(t, target),
            CompressionLoss.Mae => CompressionLosses.MeanAbsoluteError(t, target),
            CompressionLoss.Gnll => CompressionLosses.GaussianNegativeLogLikelihood(t, outputs.narrow(1, d, outputs.shape[1] - d), target),
            _ => CompressionLosses.VariationalMutualInformation(flow!, t, target),
        };
    }

    /// <summary>
    /// The summaries [n, d] of maps [n, ...site]: for MSE, MAE and GNLL the estimate of θ mapped back to the params'
    /// unconstrained space; for VMIM the network's outputs. Evaluation mode (batch statistics frozen), no gradients.
    /// </summary>
    public Tensor Summarize(Tensor maps)
    {
        using var noGrad = no_grad();
        var t = Outputs(maps).narrow(1, 0, Architecture.Summaries);
        return Architecture.Loss == CompressionLoss.Vmim ? t : thetaStandardizer.Inverse(t);
    }

    public MapCompressor MoveTo(Device device)
    {
        this.to(device);
        DetachWeightsFromDisposeScope();
        return this;
    }

    private void DetachWeightsFromDisposeScope()
    {
        foreach (var p in parameters()) p.DetachFromDisposeScope();
        foreach (var b in buffers()) b.DetachFromDisposeScope();
    }
}
