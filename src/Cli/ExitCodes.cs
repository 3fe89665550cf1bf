namespace Ppl.Cli;

/// <summary>Process exit codes of `ppl`.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The model, its data or its run has errors (diagnostics were printed).</summary>
    public const int ModelError = 1;

    /// <summary>The command line is wrong (unknown option, missing argument, unreadable file).</summary>
    public const int UsageError = 2;

    /// <summary>An internal error (a bug in ppl).</summary>
    public const int InternalError = 3;

    /// <summary>Interrupted by SIGINT (Ctrl-C); what was computed so far was written.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (kill, timeout, a batch scheduler); what was computed so far was written.</summary>
    public const int Terminated = 143;
}
