namespace Ppl.Runtime.Distributions;

/// <summary>One parameter of a distribution as the language names it.</summary>
/// <param name="Name">The name used for named arguments, e.g. <c>scale</c>.</param>
/// <param name="Domain">The values it may take.</param>
/// <param name="IsOptional">Whether it may be left out (it is then null in the constructor).</param>
/// <param name="EventRank">How many trailing dimensions of the argument belong to one event: 0 for a parameter
/// that broadcasts elementwise against the value, 1 for a vector per event (a multivariate mean), 2 for a matrix per
/// event (a scale factor).</param>
public sealed record DistributionParameter(
    string Name,
    ParameterDomain Domain = ParameterDomain.Real,
    bool IsOptional = false,
    int EventRank = 0)
{
    /// <summary>Whether the parameter must be strictly positive.</summary>
    public bool MustBePositive => Domain == ParameterDomain.Positive;
}
