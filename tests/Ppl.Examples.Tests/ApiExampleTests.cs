using Ppl.ApiExample;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>The .NET API example (`examples/api`) runs and its numbers are right: NUTS on eight schools against the
/// known posterior, simulations against the prior.</summary>
public class ApiExampleTests
{
    [Fact]
    public void EightSchoolsFromCSharpSamplesAndSimulates()
    {
        var output = new StringWriter();
        var r = EightSchoolsFromCSharp.Run(Path.Combine(ReferenceData.RepositoryRoot, "examples"), output, warmup: 300, draws: 250, simulations: 4000);
        // Reference posterior (posteriordb eight_schools_noncentered): E[mu] = 4.4 (sd 3.3), E[tau] = 3.6 (sd 3.2).
        // 4 × 250 draws with ESS of a few hundred: the means' MCSE is about 0.2; the bounds allow five or more.
        Assert.InRange(r.PosteriorMeanMu, 3.4, 5.4);
        Assert.InRange(r.PosteriorMeanTau, 2.4, 4.8);
        Assert.True(r.Divergences <= 10, $"{r.Divergences} divergences at adapt_delta 0.9");
        // Prior mu ~ Normal(0, 5), 4000 simulations: standard errors 0.08 (mean) and 0.06 (sd); bounds at five.
        Assert.InRange(r.PriorMeanMu, -0.4, 0.4);
        Assert.InRange(r.PriorSdMu, 4.7, 5.3);
        Assert.Contains("EightSchools: 10 unconstrained dimensions (2 in params)", output.ToString());
    }
}
