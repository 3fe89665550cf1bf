using System.Diagnostics;
using System.Globalization;
using Ppl.Bench.VsStan;
using Ppl.Compiler;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

// The race of issue 10: Ppl NUTS (4 chains × 1000/1000) vs Ppl ChEES (512 chains × 400/200, `ppl sample --sampler
// chees` defaults) vs Stan NUTS (rstan, 4 chains × 1000/1000, when Rscript and rstan are installed) on eight schools
// (non-centred), a 434-observation regression (kid IQ, simulated), AR(5) and Lotka–Volterra (20 observations).
// Reports minimum bulk-ESS over the params per CPU-second of sampling (compile time separately) and posterior means/sds.
// Usage: dotnet run -c Release --project bench/VsStan [-- --only NAME --limit SEC --no-nuts --no-chees --no-stan --chains C
//        --warmup N --draws N --threads T --stan-only --init-optimize N --dense --meads --keep]
// --dense adds a ChEES run with the dense cross-chain metric; --meads adds MEADS (same chains, warm-up and draws, a draw
// every 10 generalised HMC steps).
// --keep leaves the data files (CmdStan JSON for Ppl, R dumps for Stan) in the temporary folder it prints.
// --init-optimize N: ChEES chains take up to N L-BFGS steps from their prior draws before warm-up (`ppl sample --init-optimize`).
// --stan-init-optimize: each Stan chain starts at the mode rstan's optimizing finds from that chain's random start.
// --stan-init-theta a,b,c,d (Lotka-Volterra): every Stan chain starts at that theta (e.g. Ppl's posterior mean), z0 = y[1].
var inv = CultureInfo.InvariantCulture;
string? only = null;
double limit = 600;
bool runNuts = true, runChees = true, runStan = true, keep = false, runDense = false, runMeads = false, stanOptimize = false;
string? stanTheta = null;
int cheesChains = 512, cheesWarmup = 400, cheesDraws = 200, threads = 1, initOptimize = 0;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--only": only = args[++i]; break;
        case "--limit": limit = double.Parse(args[++i], inv); break;
        case "--no-nuts": runNuts = false; break;
        case "--no-stan": runStan = false; break;
        case "--no-chees": runChees = false; break;
        case "--dense": runDense = true; break;
        case "--meads": runMeads = true; break;
        case "--stan-only": runNuts = false; runChees = false; runDense = false; runMeads = false; break;
        case "--keep": keep = true; break;
        case "--chains": cheesChains = int.Parse(args[++i], inv); break;
        case "--warmup": cheesWarmup = int.Parse(args[++i], inv); break;
        case "--draws": cheesDraws = int.Parse(args[++i], inv); break;
        case "--threads": threads = int.Parse(args[++i], inv); break;
        case "--init-optimize": initOptimize = int.Parse(args[++i], inv); break;
        case "--stan-init-optimize": stanOptimize = true; break;
        case "--stan-init-theta": stanTheta = args[++i]; break;
        default: Console.Error.WriteLine("unknown option " + args[i]); return 1;
    }
}
torch.set_num_threads(threads);
string root = RepositoryRoot();
string models = Path.Combine(AppContext.BaseDirectory, "models");
string work = Path.Combine(Path.GetTempPath(), "ppl-vsstan-" + Environment.ProcessId.ToString(inv));
Directory.CreateDirectory(work);
// A fresh compile cache: the compile time below includes Roslyn, as a first `ppl sample` of a model does.
Environment.SetEnvironmentVariable("PPL_CACHE_DIR", Path.Combine(work, "cache"));

var cases = new (string Name, string PplModel, string StanModel, Func<Dictionary<string, RaceValue>> Data, string[] PplData)[]
{
    ("eight_schools", Path.Combine(root, "examples", "eight_schools.ppl"), "eight_schools.stan", RaceData.EightSchools, new[] { "y" }),
    ("kid_iq", Path.Combine(models, "kid_iq.ppl"), "kid_iq.stan", RaceData.KidIq, new[] { "N", "mom_hs", "mom_iq", "kid_score" }),
    ("ar5", Path.Combine(models, "ar5.ppl"), "ar5.stan", RaceData.Ar5, new[] { "N", "y" }),
    ("lotka_volterra", Path.Combine(root, "examples", "lotka_volterra.ppl"), "lotka_volterra.stan", () => new(), Array.Empty<string>()),
};

bool stanAvailable = runStan && StanAvailable();
Console.WriteLine($"# machine: {Environment.ProcessorCount} cores; torch threads {threads}; Stan {(stanAvailable ? "via rstan" : "not run")}");
var rows = new List<string>();
var moments = new List<string>();
foreach (var c in cases.Where(c => only is null || c.Name == only))
{
    var data = c.Data();
    var clock = Stopwatch.StartNew();
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var compilation = Driver.CompileFile(c.PplModel);
    if (compilation.HasErrors) { Console.Error.WriteLine(compilation.RenderDiagnostics()); return 1; }
    var factory = compilation.Factory!;
    double compileWall = clock.Elapsed.TotalSeconds, compileCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;

    var jsonPath = Path.Combine(work, c.Name + ".json");
    File.WriteAllText(jsonPath, RaceData.Json(data, c.PplData));
    var model = Bind(compilation, jsonPath, data);
    var density = ModelLogDensity.Create(model).Density ?? throw new InvalidOperationException("no density");
    var columns = ModelColumns.For(model, includeLatents: false);
    var perSampler = new List<(string Sampler, Dictionary<string, (double Mean, double Sd)> Moments)>();

    if (runNuts)
    {
        var o = new SamplingOptions { Chains = 4, Seed = 1, NumWarmup = 1000, NumSamples = 1000, TimeLimit = TimeSpan.FromSeconds(limit) };
        perSampler.Add(("Ppl NUTS", RunPpl("Ppl NUTS", c.Name, model, density, columns, o, compileCpu)));
    }
    var many = new SamplingOptions
    {
        Algorithm = SamplerAlgorithm.Chees, Chains = cheesChains, Superchains = Enumerable.Range(1, Math.Min(16, cheesChains)).Last(k => cheesChains % k == 0),
        Seed = 1, NumWarmup = cheesWarmup, NumSamples = cheesDraws, AdaptDelta = CheesSampler.DefaultTargetAcceptance, TimeLimit = TimeSpan.FromSeconds(limit),
        InitialOptimizationIterations = initOptimize,
    };
    if (runChees) perSampler.Add(("Ppl ChEES", RunPpl("Ppl ChEES", c.Name, model, density, columns, many, compileCpu)));
    if (runDense) perSampler.Add(("Ppl ChEES dense", RunPpl("Ppl ChEES dense", c.Name, model, density, columns, many with { Metric = MetricKind.Dense }, compileCpu)));
    if (runMeads) perSampler.Add(("Ppl MEADS", RunPpl("Ppl MEADS", c.Name, model, density, columns, many with { Algorithm = SamplerAlgorithm.Meads }, compileCpu)));
    if (stanAvailable)
    {
        var rPath = Path.Combine(work, c.Name + ".data.R");
        File.WriteAllText(rPath, RaceData.RDump(data));
        perSampler.Add(("Stan NUTS", RunStan(c.Name, Path.Combine(models, c.StanModel), rPath, columns.Names)));
    }
    moments.Add($"| {c.Name} | " + string.Join(" | ", perSampler.Select(s => s.Sampler)) + " |");
    moments.Add("|---|" + string.Concat(Enumerable.Repeat("---|", perSampler.Count)));
    foreach (var name in columns.Names)
        moments.Add($"| {name} | " + string.Join(" | ", perSampler.Select(s => s.Moments.TryGetValue(name, out var m)
            ? string.Format(inv, "{0:G4} ± {1:G3}", m.Mean, m.Sd) : "–")) + " |");
    moments.Add("");
    continue;

    Dictionary<string, (double, double)> RunPpl(string sampler, string name, Model m, ModelLogDensity d, ConstrainedColumns cols, SamplingOptions o, double compile)
    {
        var init = ModelInitialisation.Create(m, 1, o.Chains, 1, new Dictionary<string, DataInput>()).Initialisation!;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var result = HamiltonianSampler.Sample(d, o, init.Source);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var run = result.GetRunOrThrow();
        int kept = run.Chains.Min(ch => ch.Samples.Count);
        var values = run.Chains.Select(ch => cols.Apply(ch.Samples.Take(kept).Select(x => x.Position).ToArray())).ToArray();
        var columnDraws = Enumerable.Range(0, cols.Names.Count).Select(k => values.Select(chain => chain.Select(row => row[k]).ToArray()).ToArray()).ToArray();
        double minEss = kept < 4 ? double.NaN : columnDraws.Min(ConvergenceDiagnostics.EssBulk);
        int superchains = PosteriorSummary.SuperchainsOf(run);
        double maxNested = superchains >= 2 && kept >= 2 ? columnDraws.Max(x => NestedRHat.Compute(x, superchains)) : double.NaN;
        long gradients = run.Chains.Sum(ch => ch.GradientEvaluations);
        int divergent = run.Chains.Sum(ch => ch.Samples.Count(x => x.Divergent));
        string note = run.StopReason == StopReason.TimeLimit ? $" (stopped at {limit:F0} s after {run.Chains.Min(ch => ch.IterationsCompleted)} iterations)" : "";
        if (!double.IsNaN(maxNested)) note += string.Format(inv, " max nested R-hat {0:F3}", maxNested);
        Row(name, sampler, o.Chains, $"{o.NumWarmup}+{o.NumSamples}", compile, cpu, run.Elapsed.TotalSeconds, gradients, minEss, divergent, note);
        if (kept < 2) return new();
        return Enumerable.Range(0, cols.Names.Count).ToDictionary(k => cols.Names[k], k =>
        {
            var pooled = ConvergenceDiagnostics.Pool(columnDraws[k]);
            return (pooled.Average(), ConvergenceDiagnostics.StandardDeviation(pooled));
        });
    }
}
Console.WriteLine();
Console.WriteLine("| model | sampler | chains | warm-up+draws | compile cpu [s] | sampling cpu [s] | wall [s] | gradients | min bulk-ESS (params) | ESS per cpu-s | divergent | load (1 min) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var r in rows) Console.WriteLine(r);
Console.WriteLine();
Console.WriteLine("posterior mean ± sd of each param:");
Console.WriteLine();
foreach (var m in moments) Console.WriteLine(m);
if (keep) Console.WriteLine("data files kept in " + work);
else try { Directory.Delete(work, true); } catch (IOException) { }
return 0;

void Row(string name, string sampler, int chains, string iterations, double compile, double cpu, double wall, long gradients, double minEss, int divergent, string note)
{
    string line = string.Format(inv, "| {0} | {1} | {2} | {3} | {4:F2} | {5:F2} | {6:F2} | {7} | {8:F0} | {9:F0} | {10} | {11} |{12}",
        name, sampler, chains, iterations, compile, cpu, wall, gradients < 0 ? "–" : gradients.ToString(inv), minEss, minEss / cpu, divergent, Load(), note);
    rows.Add(line);
    Console.WriteLine(line);
}

Dictionary<string, (double, double)> RunStan(string name, string stanFile, string dataFile, IReadOnlyList<string> pplNames)
{
    var rArgs = new List<string> { Path.Combine(models, "stan_run.R"), stanFile, dataFile };
    if (stanOptimize) rArgs.Add("optimize");
    else if (stanTheta is not null) rArgs.Add("theta=" + stanTheta);
    var psi = new ProcessStartInfo("Rscript", rArgs)
    { RedirectStandardOutput = true, RedirectStandardError = true };
    using var p = Process.Start(psi)!;
    var stderrTask = p.StandardError.ReadToEndAsync();
    string output = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) { Console.Error.WriteLine(stderrTask.Result); return new(); }
    var values = output.Split('\n').Where(l => l.Contains('=') && !l.Contains(' ')).Select(l => l.Split('=')).ToDictionary(a => a[0], a => double.Parse(a[1], inv));
    var moments = new Dictionary<string, (double, double)>();
    var ess = new Dictionary<string, double>();
    foreach (var l in output.Split('\n').Where(l => l.StartsWith("param ", StringComparison.Ordinal)))
    {
        var parts = l.Split(' ');
        string pplName = parts[1].Replace('[', '.').Replace("]", "", StringComparison.Ordinal);
        moments[pplName] = (double.Parse(parts[2], inv), double.Parse(parts[3], inv));
        ess[pplName] = double.Parse(parts[4], inv);
    }
    double minEss = pplNames.Where(ess.ContainsKey).Select(n => ess[n]).DefaultIfEmpty(double.NaN).Min();
    foreach (var l in output.Split('\n').Where(l => l.StartsWith("start ", StringComparison.Ordinal) || l.StartsWith("chainmeans ", StringComparison.Ordinal)))
        Console.WriteLine("  Stan " + l);
    Row(name, stanOptimize ? "Stan NUTS, optimised starts" : stanTheta is not null ? "Stan NUTS, started at theta " + stanTheta : "Stan NUTS", 4, "1000+1000", values["compile_cpu"], values["sample_cpu"], values["sample_wall"], -1, minEss,
        (int)values["divergent"], string.Format(inv, " max R-hat {0:F3}", values["max_rhat"]));
    return moments;
}

static Model Bind(Compilation compilation, string jsonPath, Dictionary<string, RaceValue> data)
{
    var read = DataFileReader.Read(jsonPath);
    if (!read.Succeeded) throw new InvalidOperationException(read.ToString());
    var inputs = read.Value.ToDictionary(kv => kv.Key, kv => new DataInput(kv.Value.ToTensor(ScalarType.Float64), kv.Value.Origin));
    var model = Model.Bind(compilation.Factory!(), inputs, new ModelOptions()).Model ?? throw new InvalidOperationException("bind failed");
    if (model.MissingObservations.Count == 0) return model;
    // Lotka–Volterra: the 20 observations are one simulation from the prior (seed fixed), passed to Stan too.
    var simulation = model.Simulate(new SimulationRequest(1, 20240601) { RecordLets = new HashSet<string>() });
    foreach (var name in model.MissingObservations)
    {
        var value = simulation.Values[name][0].to_type(ScalarType.Float64);
        inputs[name] = new DataInput(value, "simulated");
        data[name] = new RaceValue(value.data<double>().ToArray(), value.shape.Select(s => (int)s).ToArray());
    }
    data["T"] = RaceValue.Int(10);
    data["noise"] = RaceValue.Real(0.1);
    data["t_end"] = RaceValue.Real(18.9);
    data["steps"] = RaceValue.Int(20);
    return Model.Bind(compilation.Factory!(), inputs, new ModelOptions()).Model ?? throw new InvalidOperationException("bind failed");
}

static bool StanAvailable()
{
    try
    {
        using var p = Process.Start(new ProcessStartInfo("Rscript", new[] { "-e", "suppressMessages(library(rstan))" }) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return false;
    }
}

static string Load()
{
    try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
    catch (IOException) { return "?"; }
}

static string RepositoryRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new DirectoryNotFoundException("Ppl.sln not found above " + AppContext.BaseDirectory);
}
