using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Ppl.ApiExample;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>The .NET API examples (`examples/api`) run and their numbers are right: from C#, NUTS on eight schools against
/// the known posterior and simulations against the prior; from an F# script, NUTS, simulation, NPE training and querying
/// on the Gaussian linear model against its exact posterior.</summary>
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

    [Fact]
    public async Task GaussianLinearFromAnFSharpScriptSamplesSimulatesTrainsAndQueries()
    {
        var script = Path.Combine(ReferenceData.RepositoryRoot, "examples", "api", "GaussianLinear.fsx");
        // The script references the libraries of the example's Release build, which building this project makes.
        var runtime = Path.Combine(ReferenceData.RepositoryRoot, "examples", "api", "bin", "Release", "net10.0", "Ppl.Runtime.dll");
        Assert.True(File.Exists(runtime), $"{runtime} is missing: build examples/api -c Release (dotnet test -c Release does)");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "fsi", script }) info.ArgumentList.Add(a);
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(info)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stderrRead = process.StandardError.ReadToEndAsync(limit.Token);
        string stdout;
        try
        {
            stdout = await process.StandardOutput.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet fsi did not finish the script in 5 minutes");
        }
        var output = $"{stdout}\n--- stderr\n{await stderrRead}";
        Assert.True(process.ExitCode == 0, $"dotnet fsi exited {process.ExitCode}:\n{output}");

        // The numbers in brackets after `label` (after `then` too, when given) on one line of the output.
        double[] Numbers(string label, string? then = null)
        {
            var m = Regex.Match(stdout, Regex.Escape(label) + (then is null ? "" : @"[^\n]*?" + Regex.Escape(then)) + @" \[([^\]]*)\]");
            Assert.True(m.Success, $"no '{label}' in the output:\n{output}");
            return m.Groups[1].Value.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        // x_o = (0.4, -0.6): the exact posterior is N(x_o / 2, 0.05 I), sd 0.224.
        double[] exact = [0.2, -0.3];
        // NUTS, 4 × 300 draws: MCSE of the means about 0.01; bounds at 0.06.
        var nuts = Numbers("nuts: 1200 draws, posterior mean theta =");
        for (int i = 0; i < 2; i++) Assert.InRange(nuts[i], exact[i] - 0.06, exact[i] + 0.06);
        // Prior theta ~ N(0, 0.1): 4000 simulations, standard errors 0.005 (mean) and 0.0035 (sd); bounds at six or more.
        foreach (var m in Numbers("simulate: 4000 draws; prior theta mean")) Assert.InRange(m, -0.03, 0.03);
        foreach (var sd in Numbers("simulate: 4000 draws; prior theta mean [", "], sd")) Assert.InRange(sd, 0.29, 0.34);
        // NPE from 3000 simulations with a small affine flow: within half a posterior sd of the exact mean and sd.
        var npe = Numbers("npe: 4000 draws, posterior mean theta =");
        for (int i = 0; i < 2; i++) Assert.InRange(npe[i], exact[i] - 0.11, exact[i] + 0.11);
        foreach (var sd in Numbers("npe: 4000 draws", "], sd")) Assert.InRange(sd, 0.16, 0.30);
        Assert.Contains("train: NPE on 3000 simulations", stdout);
    }
}
