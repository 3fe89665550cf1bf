using Ppl.Runtime.Tensors;
using Ppl.Runtime.Flows;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>ResNet's basic block: two 3 × 3 convolutions with batch normalisation and ReLU around an identity (or a
/// strided 1 × 1 projection when the shape changes).</summary>
public sealed class ResidualBlock : nn.Module
{
    private readonly Conv2d first;
    private readonly BatchNorm2d firstNorm;
    private readonly Conv2d second;
    private readonly BatchNorm2d secondNorm;
    private readonly Conv2d? projection;
    private readonly BatchNorm2d? projectionNorm;

    public ResidualBlock(long inputs, long outputs, long stride, SeededInitializer initializer) : base(nameof(ResidualBlock))
    {
        first = initializer.Conv2d(inputs, outputs, 3, stride, bias: false);
        firstNorm = nn.BatchNorm2d(outputs);
        second = initializer.Conv2d(outputs, outputs, 3, 1, bias: false);
        secondNorm = nn.BatchNorm2d(outputs);
        if (stride != 1 || inputs != outputs)
        {
            projection = initializer.Conv2d(inputs, outputs, 1, stride, bias: false);
            projectionNorm = nn.BatchNorm2d(outputs);
        }
        RegisterComponents();
    }

    public Tensor Forward(Tensor x)
    {
        var h = nn.functional.relu(BatchNormalization.Apply(firstNorm, first.forward(x)));
        h = BatchNormalization.Apply(secondNorm, second.forward(h));
        var skip = projection is null ? x : BatchNormalization.Apply(projectionNorm!, projection.forward(x));
        return nn.functional.relu(TensorArithmetic.Add(h, skip));
    }
}
