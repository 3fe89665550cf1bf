using System.Runtime.CompilerServices;
using TorchSharp;

namespace Ppl.Sbi.Tests;

internal static class TestThreading
{
    /// <summary>
    /// One libtorch thread per test process. On the shared 2-core CI machines, libtorch's multi-threaded
    /// elementwise kernels (log, exp, tanh go through MKL's threaded vector math) wait on busy cores and take
    /// milliseconds for a few thousand elements; single-threaded they take microseconds, and xUnit already runs
    /// test classes in parallel.
    /// </summary>
    [ModuleInitializer]
    internal static void UseOneThread() => torch.set_num_threads(1);
}
