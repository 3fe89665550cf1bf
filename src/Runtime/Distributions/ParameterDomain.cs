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

    /// <summary>Zero or positive (a Poisson rate).</summary>
    NonNegative,

    /// <summary>A probability, in [0, 1].</summary>
    Probability,

    /// <summary>A probability vector along the last axis: every entry in [0, 1], each row summing to 1 (within
    /// <see cref="DiscreteMath.SimplexTolerance"/>).</summary>
    Simplex,

    /// <summary>A count: a non-negative whole number (a Binomial's total count).</summary>
    Count,
}
