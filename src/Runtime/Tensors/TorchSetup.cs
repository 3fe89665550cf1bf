using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Chooses the device and, for CUDA, the libtorch to use. CPU is the default. CUDA comes either from a CUDA build of
/// TorchSharp's libtorch package (chosen at build time), or from an existing PyTorch installation: its `torch/lib` folder,
/// named by <c>--torch-lib</c> or <c>PPL_TORCH_LIB</c>, is loaded before TorchSharp initialises, and TorchSharp's own
/// native layer then binds to it.
/// </summary>
public static class TorchSetup
{
    private static bool s_externalLoaded;

    /// <summary>Loads libtorch (and its CUDA parts when present) from a PyTorch `torch/lib` folder; returns an error message
    /// or null. Must run before the first tensor is created.</summary>
    public static string? LoadExternalLibTorch(string directory)
    {
        if (s_externalLoaded) return null;
        if (!Directory.Exists(directory)) return $"libtorch folder '{directory}' does not exist";
        string[] order = { "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" };
        bool any = false;
        foreach (var name in order)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            try
            {
                NativeLibrary.Load(path);
                any = true;
            }
            catch (DllNotFoundException e)
            {
                return $"could not load {path}: {e.Message}";
            }
        }
        if (!any) return $"'{directory}' holds no libtorch libraries (expected libtorch.so, libtorch_cpu.so, ...)";
        s_externalLoaded = true;
        return null;
    }

    /// <summary>Resolves `cpu`, `cuda`, `cuda:N` or `auto` (CUDA when available) to a device, or an error message.</summary>
    public static (Device? Device, string? Error) ResolveDevice(string? spec)
    {
        spec = string.IsNullOrWhiteSpace(spec) ? "cpu" : spec.Trim().ToLowerInvariant();
        if (spec == "cpu") return (CPU, null);
        bool available = cuda.is_available();
        if (spec == "auto") return (available ? CUDA : CPU, null);
        if (spec.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!available)
                return (null, "CUDA is not available: this build uses the CPU libtorch; point --torch-lib (or PPL_TORCH_LIB) at a CUDA PyTorch installation's torch/lib folder");
            return (torch.device(spec), null);
        }
        return (null, $"unknown device '{spec}' (use cpu, cuda, cuda:N or auto)");
    }

    /// <summary>Sets the number of CPU threads libtorch uses for intra-op parallelism.</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) set_num_threads(threads);
    }
}
