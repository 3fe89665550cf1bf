using System.Runtime.CompilerServices;

namespace Ppl.Tests.Shared;

/// <summary>
/// Test assemblies run in parallel processes on a 2-core machine; libtorch's OpenMP threads would oversubscribe the cores
/// (and spin), making large tensor operations tens of times slower. Each test process uses one intra-op thread.
/// </summary>
internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void UseOneThread() => TorchSharp.torch.set_num_threads(1);
}
