namespace Ppl.Runtime.Distributions;

/// <summary>The values a distribution parameter may take, as the compiler checks them.</summary>
public enum ParameterDomain
{
    /// <summary>Any real number.</summary>
    Real,

    /// <summary>Strictly positive (scales, rates, shapes, degrees of freedom).</summary>
    Positive,

    /// <summary>A lower-triangular matrix with a positive diagonal (a Cholesky factor).</summary>
    LowerCholeskyFactor,
}
