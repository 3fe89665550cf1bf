using System.Runtime.InteropServices;
using Ppl.Runtime.Abstractions;

namespace Ppl.Runtime.Models;

/// <summary>
/// Which failures of a model run are domain failures — the point being evaluated lies outside the domain of an
/// operation, so the proposal is rejected (PPL0490; NUTS records a divergence) — and which are bugs. Domain failures
/// are exactly: a <see cref="ModelDomainException"/> from the runtime library, and a libtorch error whose message is one
/// of <see cref="DomainMessages"/> (linear algebra on a matrix that is not positive definite, singular, or on which an
/// iterative algorithm did not converge). Everything else — argument, index, invalid-operation and not-supported
/// exceptions, any other libtorch error (a shape mismatch the compiler should have ruled out) — is a bug.
/// </summary>
public static class ModelFailures
{
    /// <summary>Parts of libtorch's messages for linear-algebra failures that depend on the values, not on the program.</summary>
    public static readonly IReadOnlyList<string> DomainMessages =
    [
        "not positive-definite",          // linalg.cholesky, cholesky_ex, cholesky_inverse
        "is singular",                    // linalg.inv, linalg.solve, lu_solve: "the input matrix is singular"
        "matrix is singular",
        "failed to converge",             // linalg.eigh, linalg.svd, linalg.lstsq
        "could not be completed",         // "The factorization could not be completed ..."
    ];

    /// <summary>The failure rejects the point being evaluated (see the class summary).</summary>
    public static bool IsDomainFailure(Exception e) => e switch
    {
        ModelDomainException => true,
        ExternalException native => DomainMessages.Any(m => native.Message.Contains(m, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };

    /// <summary>
    /// A failure while binding data: domain failures, any libtorch error, and the library's argument checks (a data
    /// value outside what a function accepts, such as a non-positive <c>z0</c> for <c>smail_bins</c>) are the data's
    /// fault and are reported as PPL0406 with the statement; anything else is a bug.
    /// </summary>
    public static bool IsBindFailure(Exception e) =>
        IsDomainFailure(e) || e is ExternalException or ArgumentException;

    /// <summary>
    /// Whether an exception leaving a statement of generated code still needs the statement's location: everything but
    /// an already located failure, cancellation and out-of-memory. Generated <c>Bind</c> and <c>Run</c> keep the index of
    /// the running statement in a local and, in a catch filtered by this, rethrow through <see cref="InBind"/> or
    /// <see cref="InRun"/>, so no location lives in shared state and a bound model can run on several threads at once.
    /// </summary>
    public static bool NeedsLocation(Exception e) => e switch
    {
        ModelRunException r => r.Error.Location == SourceLocation.None,
        ModelInternalException or OperationCanceledException or OutOfMemoryException => false,
        _ => true,
    };

    /// <summary>A failure of the statement at <paramref name="at"/> of a model run, as the located exception the callers
    /// handle: a domain failure is the error PPL0490 (the point is rejected), a size beyond the limits or bad int
    /// arithmetic its own code (PPL0409, PPL0420, PPL0421), anything else a bug (<see cref="ModelInternalException"/>).</summary>
    public static Exception InRun(Exception e, SourceLocation at, ModelDescription model)
    {
        if (e is ModelRunException r) return new ModelRunException(r.Error with { Location = at }, r.InnerException);
        if (IsDomainFailure(e))
            return new ModelRunException(new ModelError(DiagnosticCatalogue.NumericalFailure, $"evaluating the model failed: {DataBinder.FirstLine(e.Message)}", at), e);
        if (AsSizeError(e, KnownOr(at, model)) is { } size) return new ModelRunException(size, e);
        return new ModelInternalException(at, e);
    }

    /// <summary>A failure of the statement at <paramref name="at"/> while binding data: sizes and int arithmetic as in
    /// <see cref="InRun"/>, a bind failure (<see cref="IsBindFailure"/>) the error PPL0406, anything else a bug.</summary>
    public static Exception InBind(Exception e, SourceLocation at, ModelDescription model)
    {
        if (e is ModelRunException r) return new ModelRunException(r.Error with { Location = at }, r.InnerException);
        if (AsSizeError(e, KnownOr(at, model)) is { } size) return new ModelRunException(size, e);
        if (IsBindFailure(e))
            return new ModelRunException(new ModelError(DiagnosticCatalogue.DataEvaluationFailed, $"evaluating the model's data failed: {DataBinder.FirstLine(e.Message)}", at), e);
        return new ModelInternalException(at, e);
    }

    /// <summary>A size beyond the limits (PPL0409, PPL0421) or int arithmetic that overflowed or divided by zero
    /// (PPL0420, the generated code is compiled with overflow checks), as an error at the running statement; null for
    /// any other exception.</summary>
    internal static ModelError? AsSizeError(Exception e, SourceLocation at) => e switch
    {
        Ppl.Runtime.Language.SizeLimitException s => new ModelError(s.Code, s.Message, at, s.Hint),
        DivideByZeroException => new ModelError(DiagnosticCatalogue.IntArithmeticFailure, "int arithmetic on the data divides by zero (a size or an int computed from data)", at),
        OverflowException => new ModelError(DiagnosticCatalogue.IntArithmeticFailure, "int arithmetic on the data overflows: the result is beyond the int range (±9.2e18)", at,
            "check the sizes in the data; a size such as N * N needs N below about 3e9"),
        _ => null,
    };

    /// <summary>The running statement's location, or the model's first line when no statement is running (sizes written
    /// with constants only are computed before the first one).</summary>
    private static SourceLocation KnownOr(SourceLocation at, ModelDescription description) =>
        at == SourceLocation.None ? new SourceLocation(description.SourceFile, 1, 1, 1, 1) : at;
}
