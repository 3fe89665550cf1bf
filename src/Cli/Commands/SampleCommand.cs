using System.Globalization;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Models;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl sample MODEL --data obs.json -o DIR`: NUTS (or, with <c>--sampler chees</c>, ChEES-HMC over hundreds of chains)
/// over the params and latents of a model with a log density, C chains batched into one density call per step. Writes
/// one CmdStan CSV per chain (for ChEES too), <c>draws.npz</c>, corner, trace, rank and energy plots of the
/// params (unless --no-plots) and <c>summary.txt</c> to DIR, and prints the summary and the sampler's diagnostics. The CSV files grow as the
/// draws are made (a killed run keeps its complete rows); Ctrl-C, SIGTERM or <c>--time-limit</c> stop cleanly and every
/// output is written from the draws made so far.
/// </summary>
public static class SampleCommand
{
    /// <summary>The file name prefix of the per-chain CSV files (<c>samples_1.csv</c>, ...).</summary>
    public const string CsvPrefix = "samples";

    /// <summary>The file names written next to the CSV files.</summary>
    public const string DrawsFile = "draws.npz", CornerFile = "corner.png", SummaryFile = "summary.txt";

    public static readonly OptionSpec Options = new OptionSpec()
        .Data().Set()
        .Value("--sampler", "nuts|chees|meads", "NUTS (default), or many-chain ChEES-HMC or MEADS", "nuts", "chees", "meads")
        .Value("--superchains", "K", "chees, meads: K groups of chains, each started from one point, for nested R-hat")
        .Value("--steps-per-draw", "N", "meads: generalised HMC steps (one gradient each) per saved draw (default 10)")
        .Value("--chains", "C", "number of chains (default 4; chees, meads 512)")
        .Value("--warmup", "W", "warm-up iterations per chain (default 1000; chees, meads 400)")
        .Value("--draws", "D", "draws per chain (default 1000; chees, meads 200)")
        .Value("--seed", "S", "random seed")
        .Value("--max-depth", "D", "maximum tree depth (default 10)")
        .Value("--early-max-depth", "D", "maximum tree depth of warm-up before the first metric update")
        .Value("--init-optimize", "N", "up to N L-BFGS steps from each chain's initial value before warm-up (default 0; chees, meads 50)")
        .Value("--init-metric", "unit|prior", "the metric warm-up starts from", "unit", "prior")
        .Flag("--init-hold-params", "with --init-optimize: hold the params and optimise only the latents")
        .Value("--adapt-delta", "A", "target acceptance rate of step-size adaptation (default 0.8; chees 0.651)")
        .Flag("--dense", "nuts, chees: adapt a dense metric (default diagonal)")
        .Value("--init", "prior|uniform|FILE", "initial values: prior draws, uniform(-R, R) unconstrained, or a file")
        .Value("--init-radius", "R", "with --init uniform: the half-width R (default 2)")
        .Repeated("--init-set", "NAME=VALUE", "an initial value for one variable (repeatable)")
        .Value("--chain-offset", "C0", "number the chains C0+1..C0+C, for runs split over processes")
        .Flag("--save-latents", "also write the latents' draws")
        .Flag("--save-warmup", "also write the warm-up iterations")
        .Value("--time-limit", "SEC", "stop SEC seconds after sampling starts and write what was drawn")
        .Flag("--no-plots", "do not write the corner, trace, rank and energy plots")
        .Float64().Device()
        .Value("-o, --output", "DIR", "the output folder: CSV per chain, draws.npz, plots, summary.txt")
        .Repeated(RecordedLets.Option, "LET,...", "also write these lets per draw (derived quantities)");

    private sealed record Settings(SamplingOptions Sampling, string OutputDirectory, string? InitFile, InitialValueSource Fallback,
        double InitRadius, bool SaveLatents, bool PriorMetric, bool HoldParams);

    /// <summary>ChEES defaults: enough chains to fill a batched density call, and warm-up and draws sized for many short
    /// chains (512 × 200 draws); the chains form up to 16 superchains for nested R-hat.</summary>
    public const int CheesChains = 512, CheesWarmup = 400, CheesDraws = 200, CheesMaxSuperchains = 16;

    /// <summary>ChEES default: up to 50 L-BFGS steps from each superchain's prior draw before warm-up. Chains share one
    /// step size, so a chain started in a remote steep region would otherwise never move (AR(5), kid IQ).</summary>
    public const int CheesInitOptimize = 50;

    /// <summary>MEADS defaults: 4 folds; a saved draw every 10 generalised HMC steps (so 400 + 200 iterations cost 6,000
    /// gradients per chain).</summary>
    public const int MeadsFolds = 4, MeadsStepsPerDraw = 10;

    /// <summary>How many prior draws set the starting metric of <c>--init-metric prior</c>.</summary>
    private const int PriorMetricDraws = 200;

    public static int Run(CliContext ctx, CommandLine line)
    {
        if (line.Positional.Count != 1)
            return ctx.Usage("sample expects one model file", "ppl sample MODEL.ppl --data obs.json -o out/");
        var (settings, usage) = ParseSettings(line);
        if (settings is null) return ctx.Usage(usage!.Value.Message, usage.Value.Hint);

        var (loaded, exit) = ModelLoading.CompileWithInputs(ctx, line);
        if (loaded is null) return exit;
        var (compilation, data, modelOptions) = loaded;
        if (Compiler.CapabilityRefusals.Sampling(compilation) is { } refusal)
        {
            ErrorRendering.Report(ctx, new[] { refusal }, compilation.Source);
            return ExitCodes.ModelError;
        }
        var (model, bindExit) = ModelLoading.Bind(ctx, compilation, data, modelOptions);
        if (model is null) return bindExit;
        if (RandomVariablesGivenAsData(ctx, compilation, model, data) is { } givenExit) return givenExit;
        var (recordLets, recordExit) = RecordedLets.Parse(ctx, line, model);
        if (recordLets is null) return recordExit;

        var (density, densityError) = ModelLogDensity.Create(model);
        if (density is null)
        {
            ErrorRendering.Write(ctx.Err, densityError!, compilation.Source);
            return ExitCodes.ModelError;
        }
        var (initialValues, initExit) = InitialValueArguments.Load(ctx, settings.InitFile, line.GetAll("--init-set"));
        if (initialValues is null) return initExit;
        var o = settings.Sampling;
        ModelInitialisation? initialisation;
        try
        {
            var (created, diagnostics) = ModelInitialisation.Create(model, o.Seed, o.Chains, o.FirstChainId, initialValues, settings.Fallback, settings.InitRadius);
            foreach (var d in diagnostics) ErrorRendering.Write(ctx.Err, d, compilation.Source);
            if (created is null) return ExitCodes.ModelError;
            var supportErrors = created.CheckSupports(o.Chains);
            foreach (var e in supportErrors) ErrorRendering.Write(ctx.Err, e, compilation.Source);
            if (supportErrors.Count > 0) return ExitCodes.ModelError;
            initialisation = created;
            if (settings.HoldParams) o = o with { InitialOptimizationHeld = model.ParamDimension };
            if (settings.PriorMetric)
            {
                var variance = created.PriorVariance(PriorMetricDraws);
                if (variance is null)
                {
                    ErrorRendering.Write(ctx.Err, new ModelError(DiagnosticCatalogue.NoFiniteInitialPosition, "--init-metric prior: a prior draw is not finite in the unconstrained space",
                        Runtime.Abstractions.SourceLocation.None, "use the default unit starting metric"), compilation.Source);
                    return ExitCodes.ModelError;
                }
                o = o with { InitialMetric = o.Metric == MetricKind.Dense ? DenseDiagonal(variance) : new DiagonalMetric(variance) };
            }
        }
        catch (ModelRunException e)
        {
            ErrorRendering.Write(ctx.Err, e.Error, compilation.Source);
            return ExitCodes.ModelError;
        }

        try
        {
            Directory.CreateDirectory(settings.OutputDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Usage($"cannot create the output folder '{settings.OutputDirectory}': {e.Message}");
        }

        var display = new ChainProgressDisplay(ctx);
        string init = DescribeInit(settings, line.GetAll("--init-set"));
        var (stream, streamExit) = SampleOutputs.OpenStream(ctx, settings.OutputDirectory, o, model, settings.SaveLatents, line.GetAll("--data"), init, recordLets);
        if (stream is null) return streamExit;
        SamplingResult result;
        try
        {
            using (stream)
                result = HamiltonianSampler.Sample(density, o, initialisation.Source, display, stream, ctx.Cancellation);
        }
        catch (ModelRunException e)
        {
            display.Finish();
            ErrorRendering.Write(ctx.Err, e.Error, compilation.Source);
            return ExitCodes.ModelError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            display.Finish();
            return ctx.Usage($"cannot write the CSV files to '{settings.OutputDirectory}': {e.Message}");
        }
        display.Finish();
        if (result.Error is { } error)
        {
            stream.Discard(); // nothing was sampled: no CSV files with only a header

            if (error.Kind == SamplingErrorKind.InvalidOptions) return ctx.Usage(error.Message);
            ErrorRendering.Write(ctx.Err, new ModelError(DiagnosticCatalogue.NoFiniteInitialPosition, error.Message, Runtime.Abstractions.SourceLocation.None,
                settings.Fallback == InitialValueSource.Prior
                    ? "check the data and the initial values; --init uniform --init-radius 0.5 starts nearer the origin of the unconstrained space"
                    : "try a smaller --init-radius, or --init prior"), compilation.Source);
            if ((density.LastFailure ?? initialisation.LastFailure) is { } failure)
                ErrorRendering.Write(ctx.Err, failure with { IsWarning = true, Message = "the last failure of the model: " + failure.Message }, compilation.Source);
            return ExitCodes.ModelError;
        }
        var run = result.Run!;
        var writeExit = SampleOutputs.Write(ctx, settings.OutputDirectory, run, model, density, settings.SaveLatents, line.GetAll("--data"), init,
            plots: !line.Has("--no-plots"), recordLets: recordLets);
        if (writeExit != ExitCodes.Ok) return writeExit;
        var recorded = SampleRunRecording.For(run, model, compilation.SourceHash!, init, settings.SaveLatents, data, recordLets).Write(settings.OutputDirectory);
        if (!recorded.Succeeded)
        {
            foreach (var e in recorded.Errors) ErrorRendering.Write(ctx.Err, e);
            return ExitCodes.UsageError;
        }
        switch (run.StopReason)
        {
            case StopReason.Cancelled:
                ctx.Err.WriteLine($"interrupted: the draws made so far were written to {settings.OutputDirectory}");
                return ExitCodes.Interrupted;
            case StopReason.TimeLimit:
                ctx.Err.WriteLine($"stopped at the time limit ({o.TimeLimit!.Value.TotalSeconds.ToString("G", CultureInfo.InvariantCulture)} s): the draws made so far were written to {settings.OutputDirectory}");
                return ExitCodes.Ok;
            default:
                return ExitCodes.Ok;
        }
    }

    /// <summary>
    /// NUTS samples every param and latent, so a value given for one with --data or --set would be ignored (a Stan user
    /// gets an error for a parameter in the data block too): PPL0413 at the variable's declaration, pointing to
    /// --init-set (a starting point) or a `data` declaration (conditioning).
    /// </summary>
    private static int? RandomVariablesGivenAsData(CliContext ctx, Compiler.Compilation compilation, Model model, IReadOnlyDictionary<string, DataInput> data)
    {
        var given = model.Sites.Where(s => s.Role is Runtime.Abstractions.SiteRole.Param or Runtime.Abstractions.SiteRole.Latent && data.ContainsKey(s.Name)).ToList();
        foreach (var site in given)
        {
            string role = site.Role == Runtime.Abstractions.SiteRole.Param ? "param" : "latent";
            ErrorRendering.Write(ctx.Err, new ModelError(DiagnosticCatalogue.RandomVariableGivenAsData,
                $"'{site.Name}' ({data[site.Name].Origin}) is a {role} of model {model.Description.Name}: ppl sample samples it, so it cannot be given as data",
                site.Description.Location,
                $"to start the chains at a value use --init-set {site.Name}=...; to condition on a value, declare it as data in the model (data {site.Name}: ...)"),
                compilation.Source);
        }
        return given.Count > 0 ? ExitCodes.ModelError : null;
    }

    private static DenseMetric DenseDiagonal(double[] variance)
    {
        var matrix = new double[variance.Length, variance.Length];
        for (int i = 0; i < variance.Length; i++) matrix[i, i] = variance[i];
        return new DenseMetric(matrix);
    }

    /// <summary>The initialisation as the CSV header states it: CmdStan writes the uniform radius or the file.</summary>
    private static string DescribeInit(Settings settings, IReadOnlyList<string> sets)
    {
        string text = settings.InitFile ?? (settings.Fallback == InitialValueSource.Uniform
            ? settings.InitRadius.ToString("R", CultureInfo.InvariantCulture)
            : "prior");
        if (sets.Count > 0) text += " (with " + string.Join(", ", sets.Select(s => s.Split('=')[0].Trim())) + " given)";
        if (settings.Sampling.InitialOptimizationIterations is int steps and > 0)
            text += $", then up to {steps} L-BFGS steps" + (settings.HoldParams ? " over the latents" : "");
        if (settings.PriorMetric) text += ", prior-scale starting metric";
        return text;
    }

    private static (Settings? Settings, (string Message, string? Hint)? Usage) ParseSettings(CommandLine line)
    {
        static (Settings?, (string, string?)?) Fail(string message, string? hint = null) => (null, (message, hint));
        var inv = CultureInfo.InvariantCulture;
        var samplerName = line.Get("--sampler") ?? "nuts";
        if (samplerName is not ("nuts" or "chees" or "meads"))
            return Fail($"--sampler must be nuts, chees or meads, not '{samplerName}'", "--sampler chees or meads runs hundreds of chains as one batched density call per leapfrog step");
        bool chees = samplerName == "chees", meads = samplerName == "meads", many = chees || meads;
        if (!int.TryParse(line.Get("--chains") ?? (many ? CheesChains : 4).ToString(inv), NumberStyles.Integer, inv, out int chains) || chains < 1)
            return Fail("--chains must be a positive integer");
        if (chees && chains < 2)
            return Fail("--sampler chees needs at least 2 chains (it adapts from the spread across chains)", "use --chains 64 or more");
        if (meads && chains < 2 * MeadsFolds)
            return Fail($"--sampler meads needs at least {2 * MeadsFolds} chains ({MeadsFolds} folds of at least 2, each tuned from another)", "use --chains 64 or more");
        if (!int.TryParse(line.Get("--warmup") ?? (many ? CheesWarmup : 1000).ToString(inv), NumberStyles.Integer, inv, out int warmup) || warmup < 0)
            return Fail("--warmup must be a non-negative integer");
        if (!int.TryParse(line.Get("--draws") ?? (many ? CheesDraws : 1000).ToString(inv), NumberStyles.Integer, inv, out int draws) || draws < 0)
            return Fail("--draws must be a non-negative integer");
        int? superchains = null;
        if (line.Get("--superchains") is { } superText)
        {
            if (!many) return Fail("--superchains applies to --sampler chees or meads only");
            if (!int.TryParse(superText, NumberStyles.Integer, inv, out int k) || k < 1 || k > chains || chains % k != 0)
                return Fail($"--superchains must be a positive divisor of the number of chains ({chains})");
            superchains = k;
        }
        else if (many)
            superchains = Enumerable.Range(1, Math.Min(CheesMaxSuperchains, chains)).Last(k => chains % k == 0);
        if (meads && line.Has("--dense"))
            return Fail("--dense applies to --sampler nuts or chees: MEADS adapts a diagonal metric");
        int stepsPerDraw = MeadsStepsPerDraw;
        if (line.Get("--steps-per-draw") is { } stepsText)
        {
            if (!meads) return Fail("--steps-per-draw applies to --sampler meads only");
            if (!int.TryParse(stepsText, NumberStyles.Integer, inv, out stepsPerDraw) || stepsPerDraw < 1)
                return Fail("--steps-per-draw must be a positive integer (generalised HMC steps, one gradient each, per saved draw)");
        }
        if (!ulong.TryParse(line.Get("--seed") ?? "0", NumberStyles.Integer, inv, out ulong seed))
            return Fail("--seed must be a non-negative integer");
        if (!int.TryParse(line.Get("--max-depth") ?? "10", NumberStyles.Integer, inv, out int maxDepth) || maxDepth < 1 || maxDepth > 30)
            return Fail("--max-depth must be an integer from 1 to 30");
        int? earlyDepth = null;
        if (line.Get("--early-max-depth") is { } earlyText)
        {
            if (!int.TryParse(earlyText, NumberStyles.Integer, inv, out int early) || early < 1 || early > 30)
                return Fail("--early-max-depth must be an integer from 1 to 30");
            earlyDepth = early;
        }
        if (!int.TryParse(line.Get("--init-optimize") ?? (many ? CheesInitOptimize : 0).ToString(inv), NumberStyles.Integer, inv, out int optimizeSteps) || optimizeSteps < 0)
            return Fail("--init-optimize must be a non-negative number of L-BFGS steps", "for example --init-optimize 500");
        var initMetric = line.Get("--init-metric") ?? "unit";
        if (initMetric is not ("unit" or "prior"))
            return Fail($"--init-metric must be unit or prior, not '{initMetric}'");
        if (!double.TryParse(line.Get("--adapt-delta") ?? (chees ? CheesSampler.DefaultTargetAcceptance : 0.8).ToString("R", inv), NumberStyles.Float, inv, out double delta) || !(delta > 0 && delta < 1))
            return Fail("--adapt-delta must lie strictly between 0 and 1", "for example --adapt-delta 0.95 for smaller steps and fewer divergences");
        if (!double.TryParse(line.Get("--init-radius") ?? "2", NumberStyles.Float, inv, out double radius) || !(radius >= 0) || !double.IsFinite(radius))
            return Fail("--init-radius must be a non-negative number");
        TimeSpan? limit = null;
        if (line.Get("--time-limit") is { } limitText)
        {
            if (!double.TryParse(limitText, NumberStyles.Float, inv, out double limitSeconds) || !(limitSeconds > 0) || !double.IsFinite(limitSeconds))
                return Fail("--time-limit must be a positive number of seconds");
            limit = TimeSpan.FromSeconds(limitSeconds);
        }
        if (!int.TryParse(line.Get("--chain-offset") ?? "0", NumberStyles.Integer, inv, out int chainOffset) || chainOffset < 0 || chainOffset > int.MaxValue - 1 - chains)
            return Fail("--chain-offset must be a non-negative integer (the chains run here are numbered from offset + 1)", "for example --chains 4 --chain-offset 4 runs chains 5 to 8");
        var output = line.Get("-o");
        if (output is null) return Fail("sample needs an output folder: -o DIR");
        var init = line.Get("--init") ?? "prior";
        var fallback = init == "uniform" ? InitialValueSource.Uniform : InitialValueSource.Prior;
        string? initFile = init is "prior" or "uniform" ? null : init;
        if (fallback != InitialValueSource.Uniform && line.Has("--init-radius"))
            return Fail("--init-radius applies to --init uniform only");

        var sampling = new SamplingOptions
        {
            Algorithm = chees ? SamplerAlgorithm.Chees : meads ? SamplerAlgorithm.Meads : SamplerAlgorithm.Nuts,
            MeadsFolds = MeadsFolds,
            MeadsStepsPerDraw = stepsPerDraw,
            Superchains = superchains,
            Chains = chains,
            FirstChainId = chainOffset + 1,
            NumWarmup = warmup,
            NumSamples = draws,
            Seed = seed,
            MaxTreeDepth = maxDepth,
            EarlyMaxTreeDepth = earlyDepth,
            InitialOptimizationIterations = optimizeSteps,
            AdaptDelta = delta,
            Metric = line.Has("--dense") ? MetricKind.Dense : MetricKind.Diagonal,
            SaveWarmup = line.Has("--save-warmup"),
            TimeLimit = limit,
        };
        return (new Settings(sampling, output, initFile, fallback, radius, line.Has("--save-latents"), initMetric == "prior", line.Has("--init-hold-params")), null);
    }
}
