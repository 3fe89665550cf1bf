using System.Text.Json.Serialization;

namespace Ppl.Runtime.Compression;

/// <summary>Which convolutional network reads the maps.</summary>
public enum CompressorPreset
{
    /// <summary>A small CNN sized for a CPU: four 3 × 3 convolutions (16, 32, 64, 64 channels, SiLU), average pooling,
    /// global mean, and a 64-unit dense layer.</summary>
    Cnn,
    /// <summary>ResNet-18 (science.md §2): a 3 × 3 stem and four stages of two basic residual blocks (64, 128, 256, 512
    /// channels, batch normalisation, ReLU), global mean, and a linear head.</summary>
    ResNet18,
}

/// <summary>
/// A compressor's network and losses. <see cref="Map"/>, <see cref="Summaries"/> and <see cref="Params"/> describe the
/// data; the rest are settings. With the VMIM loss the flow q(θ | t) is a conditional RealNVP of
/// <see cref="FlowLayers"/> affine couplings with <see cref="FlowHiddenLayers"/> × <see cref="FlowHiddenUnits"/> SiLU
/// conditioners (the paper's 4 and 2 × 128 by default).
/// </summary>
public sealed record CompressorArchitecture
{
    public CompressorPreset Preset { get; init; } = CompressorPreset.Cnn;

    public CompressionLoss Loss { get; init; } = CompressionLoss.Mse;

    /// <summary>The observed map's shape and channel position.</summary>
    public required MapShape Map { get; init; }

    /// <summary>Number of summaries d the network outputs.</summary>
    public int Summaries { get; init; }

    /// <summary>Number of params' unconstrained elements (the dimension of θ).</summary>
    public int Params { get; init; }

    /// <summary>Width multiplier of the small CNN's channels (1: 16, 32, 64, 64).</summary>
    public int Width { get; init; } = 1;

    public int FlowLayers { get; init; } = 4;

    public int FlowHiddenUnits { get; init; } = 128;

    public int FlowHiddenLayers { get; init; } = 2;

    /// <summary>Outputs of the network's last layer: d summaries, plus d(d + 1)/2 Cholesky entries for GNLL.</summary>
    [JsonIgnore]
    public int NetworkOutputs => Loss == CompressionLoss.Gnll ? Summaries + Summaries * (Summaries + 1) / 2 : Summaries;

    /// <summary>Why these settings cannot be built, or null.</summary>
    public string? Problem()
    {
        if (Summaries < 1) return $"the number of summaries must be at least 1; got {Summaries}";
        if (Params < 1) return "the model has no params to compress for";
        if (Loss != CompressionLoss.Vmim && Summaries != Params)
            return $"the {Loss.ToString().ToUpperInvariant()} loss regresses θ, so it needs as many summaries as param elements ({Params}), not {Summaries}; use the VMIM loss for another number";
        if (Width < 1) return "the width multiplier must be at least 1";
        if (FlowLayers < 1 || FlowHiddenUnits < 1 || FlowHiddenLayers < 1) return "the VMIM flow needs at least one layer of one hidden unit";
        return null;
    }
}
