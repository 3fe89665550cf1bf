using System.Runtime.InteropServices;

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
}
