using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Ppl.Examples.Tests;

/// <summary>
/// `ppl` started as a child process (the built ppl.dll under <c>dotnet</c>), so that tests can send it real signals
/// and read what it left behind.
/// </summary>
public sealed class ChildCli : IDisposable
{
    public const int SigInt = 2, SigKill = 9, SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _out = new(), _err = new();

    private ChildCli(Process process) => _process = process;

    /// <summary>Signals can be sent (POSIX systems).</summary>
    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>
    /// True when this process ignores <paramref name="signal"/> (Linux: the SigIgn mask of /proc/self/status). A child
    /// inherits an ignored SIGINT — as every background job of a non-interactive shell has it — and .NET leaves it
    /// ignored, as a command-line tool should; tests that send it then have nothing to observe.
    /// </summary>
    public static bool Ignored(int signal)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/status")) return false;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is null) return false;
        ulong mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        return (mask >> (signal - 1) & 1UL) == 1UL;
    }

    public static ChildCli Start(params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ppl.dll"));
        info.ArgumentList.Add("--threads");
        info.ArgumentList.Add("1");
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        var child = new ChildCli(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._out) child._out.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._err) child._err.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public string Out { get { lock (_out) return _out.ToString(); } }

    public string Err { get { lock (_err) return _err.ToString(); } }

    /// <summary>Waits until the condition holds or the child exits; false on timeout or exit.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            if (_process.HasExited) return condition();
            Thread.Sleep(100);
        }
        return false;
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>Sends <paramref name="signal"/> unless the child has already exited (a fast child may finish first);
    /// true when it was delivered.</summary>
    public bool SignalIfRunning(int signal)
    {
        if (_process.HasExited) return false;
        int result = Kill(_process.Id, signal);
        Assert.True(result == 0 || _process.HasExited, $"kill({signal}) failed with {result} while the child was running");
        return result == 0;
    }

    /// <summary>The exit code, after waiting for the child (killed if it does not end in time).</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"ppl did not exit within {timeout.TotalSeconds} s\n{this}");
        }
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public override string ToString() => $"--- stdout\n{Out}\n--- stderr\n{Err}";

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
