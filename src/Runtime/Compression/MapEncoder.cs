using Ppl.Runtime.Flows;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>The convolutional body of a compressor: images [n, C, H, W] to features [n, <see cref="Features"/>].</summary>
public abstract class MapEncoder : nn.Module
{
    protected MapEncoder(string name) : base(name) { }

    /// <summary>Number of features per map.</summary>
    public abstract long Features { get; }

    public abstract Tensor Forward(Tensor images);

    /// <summary>The encoder of a preset for maps of the architecture's channel count.</summary>
    public static MapEncoder Create(CompressorArchitecture architecture, SeededInitializer initializer) => architecture.Preset switch
    {
        CompressorPreset.Cnn => new SmallConvEncoder(architecture.Map.ChannelCount, architecture.Width, initializer),
        CompressorPreset.ResNet18 => new ResNet18Encoder(architecture.Map.ChannelCount, initializer),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Preset, null),
    };
}
