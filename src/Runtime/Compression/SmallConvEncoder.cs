using Ppl.Runtime.Flows;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// The CPU preset: four 3 × 3 convolutions of 16w, 32w, 64w, 64w channels with SiLU, each of the first three followed by a
/// 2 × 2 average pool while the map is at least 4 pixels wide, then the spatial mean and a dense SiLU layer of 64w units.
/// About 15 M multiply-adds per 64 × 64 × 5 map at w = 1.
/// </summary>
public sealed class SmallConvEncoder : MapEncoder
{
    private readonly ModuleList<Conv2d> convolutions = new();
    private readonly Linear dense;

    public SmallConvEncoder(long channels, int width, SeededInitializer initializer) : base(nameof(SmallConvEncoder))
    {
        long[] widths = [16L * width, 32L * width, 64L * width, 64L * width];
        long inputs = channels;
        foreach (var w in widths)
        {
            convolutions.Add(initializer.Conv2d(inputs, w, 3));
            inputs = w;
        }
        dense = initializer.Linear(inputs, 64L * width);
        Features = 64L * width;
        RegisterComponents();
    }

    public override long Features { get; }

    public override Tensor Forward(Tensor images)
    {
        var h = images;
        for (int i = 0; i < convolutions.Count; i++)
        {
            h = nn.functional.silu(convolutions[i].forward(h));
            if (i < convolutions.Count - 1 && h.shape[2] >= 4 && h.shape[3] >= 4) h = nn.functional.avg_pool2d(h, 2);
        }
        return nn.functional.silu(dense.forward(h.mean([2, 3])));
    }
}
