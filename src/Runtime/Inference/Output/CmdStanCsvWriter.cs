using System.Globalization;
using System.Text;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Inference.Output;

/// <summary>Run-level facts for the CSV header that the engine does not know itself.</summary>
/// <param name="ModelName">The model's name.</param>
/// <param name="DataFile">The data file, if any.</param>
/// <param name="StartTime">When the run started (UTC); defaults to now.</param>
/// <param name="Init">How the chains were initialised (CmdStan writes the radius or the file): <c>given</c> by default.</param>
public sealed record CmdStanCsvHeader(string ModelName, string? DataFile = null, DateTimeOffset? StartTime = null, string Init = "given");

/// <summary>
/// Writes one chain of a run as a CmdStan output CSV: the configuration as comments, the header row
/// (<c>lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__</c> then the parameter columns;
/// static HMC uses <c>lp__,accept_stat__,stepsize__,int_time__,energy__</c> as Stan does; ChEES
/// <c>lp__,accept_stat__,stepsize__,int_time__,n_leapfrog__,divergent__,energy__</c>, <c>int_time__</c> being that
/// iteration's jittered integration time), saved warm-up draws, the adaptation block (<c># Adaptation terminated</c>,
/// step size, for ChEES <c># Trajectory length = T</c>, inverse metric), the draws and the elapsed times.
/// ArviZ's <c>from_cmdstan</c> and CmdStan's tools read this layout. Numbers are written with round-trip precision.
/// </summary>
public static class CmdStanCsvWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The path of one chain's file.</summary>
    public static string PathOf(string pathPrefix, int chainId) => $"{pathPrefix}_{chainId.ToString(Inv)}.csv";

    /// <summary>
    /// Writes every chain to <c>{pathPrefix}_{chainId}.csv</c> and returns the paths. Each file is written beside its
    /// final name and then renamed over it (<see cref="DataFileAccess.WriteAtomically"/>), so a file written
    /// incrementally during the run (<see cref="CmdStanCsvStream"/>) is replaced whole or not at all.
    /// </summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static IReadOnlyList<string> WriteAll(string pathPrefix, SamplingRun run, ConstrainedColumns columns, CmdStanCsvHeader header)
    {
        var paths = new List<string>();
        foreach (var chain in run.Chains)
        {
            string path = PathOf(pathPrefix, chain.ChainId);
            var written = DataFileAccess.WriteAtomically(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                Write(writer, run, chain, columns, header);
            });
            if (!written.Succeeded) throw new IOException(string.Join("; ", written.Errors.Select(e => e.Message)));
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Writes one chain.</summary>
    public static void Write(TextWriter writer, SamplingRun run, ChainResult chain, ConstrainedColumns columns, CmdStanCsvHeader header)
    {
        var o = run.Options;
        var algorithm = o.Algorithm;
        writer.NewLine = "\n";
        WriteConfiguration(writer, o, chain.ChainId, chain.Metric.Kind, header);
        writer.WriteLine(HeaderRow(algorithm, columns));

        WriteDraws(writer, chain.Warmup, columns, algorithm);
        if (o.AdaptEngaged && o.NumWarmup > 0 && chain.IterationsCompleted >= o.NumWarmup)
            WriteAdaptation(writer, chain.StepSize, chain.Metric, chain.TrajectoryLength);
        WriteDraws(writer, chain.Samples, columns, algorithm);

        double warm = chain.WarmupTime.TotalSeconds, sampling = chain.SamplingTime.TotalSeconds;
        writer.WriteLine("# ");
        writer.WriteLine("#  Elapsed Time: " + warm.ToString("F3", Inv) + " seconds (Warm-up)");
        writer.WriteLine("#                " + sampling.ToString("F3", Inv) + " seconds (Sampling)");
        writer.WriteLine("#                " + (warm + sampling).ToString("F3", Inv) + " seconds (Total)");
        writer.WriteLine("# ");
        if (run.StopReason != StopReason.Completed)
            writer.WriteLine($"# Stopped early ({run.StopReason}) after {chain.IterationsCompleted.ToString(Inv)} iterations.");
    }

    /// <summary>The column header row: the sampler statistics, then the model's columns.</summary>
    internal static string HeaderRow(SamplerAlgorithm algorithm, ConstrainedColumns columns)
    {
        var statNames = algorithm switch
        {
            SamplerAlgorithm.Nuts => new[] { "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__" },
            SamplerAlgorithm.Chees or SamplerAlgorithm.Meads => new[] { "lp__", "accept_stat__", "stepsize__", "int_time__", "n_leapfrog__", "divergent__", "energy__" },
            _ => new[] { "lp__", "accept_stat__", "stepsize__", "int_time__", "energy__" },
        };
        return string.Join(",", statNames.Concat(columns.Names));
    }

    /// <summary>The adaptation block CmdStan writes between the warm-up and the sampling draws.</summary>
    internal static void WriteAdaptation(TextWriter writer, double stepSize, EuclideanMetric metric, double? trajectoryLength = null)
    {
        writer.WriteLine("# Adaptation terminated");
        writer.WriteLine("# Step size = " + Number(stepSize));
        if (trajectoryLength is { } length) writer.WriteLine("# Trajectory length = " + Number(length));
        if (metric is DenseMetric dense)
        {
            writer.WriteLine("# Elements of inverse mass matrix:");
            var m = dense.InverseMass();
            for (int i = 0; i < dense.Dimension; i++)
                writer.WriteLine("# " + string.Join(", ", Enumerable.Range(0, dense.Dimension).Select(j => Number(m[i, j]))));
        }
        else
        {
            writer.WriteLine("# Diagonal elements of inverse mass matrix:");
            writer.WriteLine("# " + string.Join(", ", metric.InverseMassDiagonal().Select(Number)));
        }
    }

    internal static void WriteConfiguration(TextWriter w, SamplingOptions o, int chainId, MetricKind metricKind, CmdStanCsvHeader header)
    {
        var metric = SamplerDiagnostics.MetricName(metricKind);
        w.WriteLine("# model = " + header.ModelName);
        w.WriteLine("# start_datetime = " + (header.StartTime ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv));
        w.WriteLine("# method = sample");
        w.WriteLine("#   sample");
        w.WriteLine("#     num_samples = " + o.NumSamples.ToString(Inv));
        w.WriteLine("#     num_warmup = " + o.NumWarmup.ToString(Inv));
        w.WriteLine("#     save_warmup = " + (o.SaveWarmup ? "1" : "0"));
        w.WriteLine("#     thin = 1");
        w.WriteLine("#     adapt");
        w.WriteLine("#       engaged = " + (o.AdaptEngaged ? "1" : "0"));
        w.WriteLine("#       gamma = " + Number(o.AdaptGamma));
        w.WriteLine("#       delta = " + Number(o.AdaptDelta));
        w.WriteLine("#       kappa = " + Number(o.AdaptKappa));
        w.WriteLine("#       t0 = " + Number(o.AdaptT0));
        w.WriteLine("#       init_buffer = " + o.InitBuffer.ToString(Inv));
        w.WriteLine("#       term_buffer = " + o.TermBuffer.ToString(Inv));
        w.WriteLine("#       window = " + o.BaseWindow.ToString(Inv));
        w.WriteLine("#     algorithm = hmc");
        w.WriteLine("#       hmc");
        if (o.Algorithm == SamplerAlgorithm.Nuts)
        {
            w.WriteLine("#         engine = nuts");
            w.WriteLine("#           nuts");
            w.WriteLine("#             max_depth = " + o.MaxTreeDepth.ToString(Inv));
        }
        else if (o.Algorithm == SamplerAlgorithm.Chees)
        {
            // Not a CmdStan engine: the many-chain sampler's own settings, in the same layout.
            w.WriteLine("#         engine = chees");
            w.WriteLine("#           chees");
            w.WriteLine("#             jitter = halton");
            w.WriteLine("#             learning_rate = " + Number(o.TrajectoryLearningRate));
            w.WriteLine("#             max_leapfrog_steps = " + o.MaxLeapfrogSteps.ToString(Inv));
            w.WriteLine("#             superchains = " + (o.Superchains ?? o.Chains).ToString(Inv));
        }
        else if (o.Algorithm == SamplerAlgorithm.Meads)
        {
            w.WriteLine("#         engine = meads");
            w.WriteLine("#           meads");
            w.WriteLine("#             folds = " + o.MeadsFolds.ToString(Inv));
            w.WriteLine("#             steps_per_draw = " + o.MeadsStepsPerDraw.ToString(Inv));
            w.WriteLine("#             superchains = " + (o.Superchains ?? o.Chains).ToString(Inv));
        }
        else
        {
            w.WriteLine("#         engine = static");
            w.WriteLine("#           static");
            if (o.StaticIntegrationTime is { } t) w.WriteLine("#             int_time = " + Number(t));
            else w.WriteLine("#             num_steps = " + o.StaticSteps.ToString(Inv));
        }
        w.WriteLine("#         metric = " + metric);
        w.WriteLine("#         metric_file = ");
        w.WriteLine("#         stepsize = " + Number(o.InitialStepSize));
        w.WriteLine("#         stepsize_jitter = 0");
        w.WriteLine("#     num_chains = " + o.Chains.ToString(Inv));
        w.WriteLine("# id = " + chainId.ToString(Inv));
        w.WriteLine("# data");
        w.WriteLine("#   file = " + (header.DataFile ?? ""));
        w.WriteLine("# init = " + header.Init);
        w.WriteLine("# random");
        w.WriteLine("#   seed = " + o.Seed.ToString(Inv));
        w.WriteLine("# output");
        w.WriteLine("#   sig_figs = 17");
        w.WriteLine("# max_energy_error = " + Number(o.MaxEnergyError));
    }

    internal static void WriteDraws(TextWriter w, IReadOnlyList<Draw> draws, ConstrainedColumns columns, SamplerAlgorithm algorithm)
    {
        const int batch = 512; // bounds the size of one transform call on long chains
        var sb = new StringBuilder();
        for (int start = 0; start < draws.Count; start += batch)
        {
            var slice = draws.Skip(start).Take(batch).ToArray();
            var values = columns.Apply(slice.Select(d => d.Position).ToArray());
            for (int i = 0; i < slice.Length; i++)
            {
                var d = slice[i];
                sb.Clear();
                sb.Append(Number(d.LogDensity)).Append(',').Append(Number(d.AcceptStat)).Append(',').Append(Number(d.StepSize)).Append(',');
                if (algorithm == SamplerAlgorithm.Nuts)
                    sb.Append(d.TreeDepth.ToString(Inv)).Append(',').Append(d.LeapfrogSteps.ToString(Inv)).Append(',').Append(d.Divergent ? '1' : '0').Append(',');
                else if (algorithm is SamplerAlgorithm.Chees or SamplerAlgorithm.Meads)
                    sb.Append(Number(d.LeapfrogSteps * d.StepSize)).Append(',').Append(d.LeapfrogSteps.ToString(Inv)).Append(',').Append(d.Divergent ? '1' : '0').Append(',');
                else
                    sb.Append(Number(d.LeapfrogSteps * d.StepSize)).Append(',');
                sb.Append(Number(d.Energy));
                foreach (var v in values[i]) sb.Append(',').Append(Number(v));
                w.WriteLine(sb.ToString());
            }
        }
    }

    /// <summary>A number as Stan writes it: round-trip precision, <c>inf</c>, <c>-inf</c>, <c>nan</c>.</summary>
    public static string Number(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", Inv);
}
