using System.Runtime.InteropServices;

namespace Ppl.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (what <c>kill</c>, <c>timeout</c>, batch schedulers and containers send) both stop a
/// command cleanly: the first one cancels the run, which then writes what it computed and exits with 130 (SIGINT) or
/// 143 (SIGTERM), 128 plus the signal's number as shells report it. A second signal stops the process at once with the
/// same code and says on standard error which outputs may be missing (the per-chain CSV files of <c>ppl sample</c> are
/// written as the draws come, so they keep every complete draw).
/// </summary>
public sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly TextWriter _error;
    private readonly List<PosixSignalRegistration> _registrations = new();
    private int _count;

    public InterruptSignals(TextWriter error)
    {
        _error = error;
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The first signal received, if any.</summary>
    public PosixSignal? Received { get; private set; }

    /// <summary>The process's exit code: an interrupted command's code names the signal that interrupted it.</summary>
    public int ExitCode(int commandExit) =>
        commandExit == ExitCodes.Interrupted && Received == PosixSignal.SIGTERM ? ExitCodes.Terminated : commandExit;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        string name = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "interrupt";
        if (Interlocked.Increment(ref _count) == 1)
        {
            Received = context.Signal;
            _error.WriteLine($"\n{name}: finishing the current step and writing what was computed (send it again to stop at once)");
            _cancel.Cancel();
            return;
        }
        _error.WriteLine($"\n{name} again: stopping at once; outputs not yet written (summary, plot, npz, estimator) are missing; " +
                         "ppl sample's per-chain CSV files hold every draw completed so far");
        _error.Flush();
        StopNow(context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted);
    }

    /// <summary>
    /// Ends the process at once with <paramref name="code"/>. On POSIX systems this is <c>_exit</c>: <c>Environment.Exit</c>
    /// would run the native libraries' exit handlers while libtorch's threads are still computing, which can crash the
    /// process (SIGSEGV, exit 139, seen on a second Ctrl-C during sampling) instead of exiting with the signal's code.
    /// Nothing is lost by skipping them: the CSV files are written in whole lines as they go, and standard output and
    /// error are flushed first.
    /// </summary>
    private static void StopNow(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        ImmediateExit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ImmediateExit(int status);

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}
