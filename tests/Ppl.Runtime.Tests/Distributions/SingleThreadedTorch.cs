using System.Runtime.CompilerServices;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Runs libtorch's CPU kernels on one thread in this test assembly. xUnit already runs test classes in parallel, and on
/// the 2-core CI machine, shared with parallel builds, libtorch's intra-op thread pool then waits on descheduled worker
/// threads at every operation: an elementwise op on 10^5 numbers measured 10–40 ms with two threads and 0.15 ms
/// with one under a load average of 15.
/// </summary>
internal static class SingleThreadedTorch
{
    [ModuleInitializer]
    internal static void Apply() => TorchSharp.torch.set_num_threads(1);
}
