using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// Batch normalisation with a <see cref="BatchNorm2d"/>'s parameters and running statistics, through the functional
/// form: the module's own forward increments its batch counter with a temporary Scalar (see the Scalar-lifetime
/// analyzer in docs/architecture.md). The counter only matters for a cumulative average (momentum null), which the
/// compressors do not use; the running statistics follow the same exponential average (momentum 0.1, ε = 1e-5, the
/// module's defaults).
/// </summary>
internal static class BatchNormalization
{
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;

    public static Tensor Apply(BatchNorm2d norm, Tensor x) =>
        nn.functional.batch_norm(x, norm.running_mean, norm.running_var, norm.weight, norm.bias, norm.training, Momentum, Epsilon);
}
