using System.Globalization;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// The default number of libtorch intra-op threads: the cores this process may use and that other processes are not
/// already using, at least one. Oversubscribed OpenMP threads spin against each other and against the other
/// processes (training ran about 19 times slower with libtorch's own default than with one thread on a busy 2-core
/// machine), so the default is deliberately conservative: <see cref="Environment.ProcessorCount"/> (the affinity mask
/// and the cgroup CPU quota of the process) minus the 1-minute load average (Linux), at least 1. Several ppl processes
/// started together therefore take one thread each once the machine is loaded. <c>--threads N</c>, <c>PPL_THREADS</c>
/// or <c>OMP_NUM_THREADS</c> choose explicitly.
/// </summary>
public static class ThreadDefaults
{
    /// <summary>The environment variable that sets the thread count when <c>--threads</c> is not given.</summary>
    public const string EnvironmentVariable = "PPL_THREADS";

    /// <summary>The default for <paramref name="processorCount"/> usable cores and a load average (null: unknown).</summary>
    public static int Choose(int processorCount, double? loadAverage)
    {
        int cores = Math.Max(1, processorCount);
        if (loadAverage is not { } load || !(load >= 0) || double.IsInfinity(load)) return cores;
        int busy = (int)Math.Min(cores, Math.Floor(load));
        return Math.Max(1, cores - busy);
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or null where there is none.</summary>
    public static double? LoadAverage()
    {
        try
        {
            if (!File.Exists("/proc/loadavg")) return null;
            var first = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The thread count to set for this process when <c>--threads</c> was not given: <c>PPL_THREADS</c> if set (an
    /// error message when it is not a positive integer), null when <c>OMP_NUM_THREADS</c> is set (libtorch already
    /// follows it), else <see cref="Choose"/> for this process.
    /// </summary>
    public static (int? Threads, string? Error) ForThisProcess()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text)
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
                ? (n, null)
                : (null, $"{EnvironmentVariable} must be a positive integer, not '{text}'");
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"))) return (null, null);
        return (Choose(Environment.ProcessorCount, LoadAverage()), null);
    }
}
