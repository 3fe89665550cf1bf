using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>
/// A bug met while running a model (<see cref="ModelInternalException"/>): reported as an internal error (exit 3) at
/// the model statement that was running — never as a numerical failure of the model.
/// </summary>
public static class InternalErrorRendering
{
    public static int Write(CliContext ctx, ModelInternalException e)
    {
        ctx.Err.WriteLine($"{e.Location}: internal error: evaluating this statement failed with {e.Message}");
        ctx.Err.WriteLine("this is a bug in ppl, not a numerical failure of the model; please report it with the command line and the model");
        if (Environment.GetEnvironmentVariable("PPL_DEBUG") == "1") ctx.Err.WriteLine(e.InnerException?.ToString());
        else ctx.Err.WriteLine("(set PPL_DEBUG=1 for the stack trace)");
        return ExitCodes.InternalError;
    }
}
