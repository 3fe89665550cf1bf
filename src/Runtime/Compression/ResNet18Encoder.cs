using Ppl.Runtime.Flows;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// ResNet-18 for small maps: a 3 × 3 stem of 64 channels (stride 1, no max-pool: lensing maps are small), then stages of
/// 64, 128, 256 and 512 channels with two <see cref="ResidualBlock"/>s each (stride 2 at the start of every stage but
/// the first), and the spatial mean (512 features).
/// </summary>
public sealed class ResNet18Encoder : MapEncoder
{
    private readonly Conv2d stem;
    private readonly BatchNorm2d stemNorm;
    private readonly ModuleList<ResidualBlock> blocks = new();

    public ResNet18Encoder(long channels, SeededInitializer initializer) : base(nameof(ResNet18Encoder))
    {
        stem = initializer.Conv2d(channels, 64, 3, 1, bias: false);
        stemNorm = nn.BatchNorm2d(64);
        long inputs = 64;
        foreach (var (width, index) in new long[] { 64, 128, 256, 512 }.Select((w, i) => (w, i)))
        {
            blocks.Add(new ResidualBlock(inputs, width, index == 0 ? 1 : 2, initializer));
            blocks.Add(new ResidualBlock(width, width, 1, initializer));
            inputs = width;
        }
        RegisterComponents();
    }

    public override long Features => 512;

    public override Tensor Forward(Tensor images)
    {
        var h = nn.functional.relu(BatchNormalization.Apply(stemNorm, stem.forward(images)));
        foreach (var block in blocks) h = block.Forward(h);
        return h.mean([2, 3]);
    }
}
