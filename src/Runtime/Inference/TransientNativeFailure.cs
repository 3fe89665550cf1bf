using System.Runtime.InteropServices;
using Ppl.Runtime.Models;

namespace Ppl.Runtime.Inference;

/// <summary>
/// A guard against a race in TorchSharp 0.107: operators such as <c>a + b</c> create a temporary <c>Scalar</c> (the
/// alpha of <c>add</c>) that nothing references once its native handle is passed on, so a garbage collection during
/// the native call can run its finalizer and free it while libtorch still reads it. The call then fails with a
/// message about the scalar ("argument alpha must not be a floating point number", "toFloat"). Under garbage
/// collection from another thread this happens about once per 5,000 additions; in a sampling run, rarely but
/// surely over hours. Such a failure does not repeat, so the call is made once more; a failure that repeats is real.
/// </summary>
public static class TransientNativeFailure
{
    /// <summary>Calls <paramref name="action"/>, and once more if it failed inside libtorch.</summary>
    /// <param name="action">The computation.</param>
    /// <param name="retried">Called before the second attempt (for counting).</param>
    public static T RetryOnce<T>(Func<T> action, Action? retried = null)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsNative(e))
        {
            retried?.Invoke();
            return action();
        }
    }

    /// <summary>A failure inside libtorch, raw or as the model's report of a failed tensor operation.</summary>
    public static bool IsNative(Exception e) =>
        e is ExternalException || e is ModelRunException { Error.Code: ModelLogDensity.NumericalFailureCode, InnerException: ExternalException };
}
