using System.Diagnostics;

namespace Ppl.Bench.FullField;

/// <summary>Runs the built CLI (`dotnet ppl.dll …`) as a child process whose output goes straight to this process's
/// streams, and measures its wall time and its processor time (getrusage(RUSAGE_CHILDREN) before and after: the user +
/// system time of the waited-for child, all its threads).</summary>
internal static class ChildProcess
{
    public static (int Exit, TimeSpan Wall, TimeSpan Cpu) RunPpl(string ppl, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        info.ArgumentList.Add(ppl);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var before = ChildrenCpu();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.WaitForExit();
        clock.Stop();
        return (process.ExitCode, clock.Elapsed, ChildrenCpu() - before);
    }

    public static TimeSpan ChildrenCpu()
    {
        var usage = new long[18];
        if (!OperatingSystem.IsLinux() || Native.getrusage(-1, usage) != 0) return TimeSpan.Zero;
        return TimeSpan.FromSeconds(usage[0] + usage[1] * 1e-6 + usage[2] + usage[3] * 1e-6);
    }
}
