using System.Globalization;
using Ppl.Runtime.IO;

namespace Ppl.Bench.FullField;

/// <summary>`--study`: the explicit-vs-implicit lensing study of issue 9 as one resumable command. Every route is a
/// subprocess of the built CLI on one seeded observation: (a) the explicit reference (`ppl sample` over θ and z, or a
/// given draws folder), (b) the two-point baseline (`ppl sample` of lognormal_lensing_cl.ppl on the observation's
/// measured spectra), (c) per loss a compressor trained on the largest simulation budget, and NLE/NPE on its summaries
/// at each budget (the first n simulations of one set), each followed by `ppl posterior`; then `ppl compare` and the
/// table (StudyTable). Outputs of each step stay in the output folder; a step recorded with the same command line is
/// skipped, one whose options changed is run again.</summary>
internal sealed class FullFieldStudy
{
    private static readonly string[] Fiducial =
    {
        "--set", "omega_c=0.2664", "--set", "omega_b=0.0492", "--set", "sigma_8=0.831",
        "--set", "h_0=0.6727", "--set", "n_s=0.9645", "--set", "w_0=-1.0",
    };

    private readonly StudyOptions options;
    private readonly string root;
    private readonly List<StudyStep> steps = new();

    private FullFieldStudy(StudyOptions options, string root)
    {
        this.options = options;
        this.root = root;
    }

    public static int Run(IReadOnlyList<string> own, string root, string defaultPpl)
    {
        var options = StudyOptions.Parse(own, defaultPpl);
        if (!File.Exists(options.Ppl))
        {
            Console.Error.WriteLine($"{options.Ppl} not found: build the CLI first (dotnet build src/Cli -c Release) or pass --ppl PATH");
            return 2;
        }
        if (options.Reference is { } r && !Directory.Exists(r) && !File.Exists(r))
        {
            Console.Error.WriteLine($"--reference {r}: no such draws folder or file");
            return 2;
        }
        Directory.CreateDirectory(options.Output);
        return new FullFieldStudy(options, root).Run();
    }

    private string Out(string name) => Path.Combine(options.Output, name);

    private string Model(string file) => Path.Combine(root, "examples", file);

    private int Run()
    {
        var o = options;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# Full-field study, N = {o.N} over {o.SideDeg.ToString(inv)}°, output {o.Output} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var lensing = Model("lognormal_lensing.ppl");

        // The observation: one seeded simulation at the fiducial cosmology; its map y as y.npy.
        var observation = Out("observation.npz");
        if (!Step("observation", Concat(new[] { "simulate", lensing, "-n", "1", "--seed", o.ObservationSeed }, o.Configuration, Fiducial, new[] { "-o", observation }), observation, 0, null))
            return 1;
        var yPath = Out("y.npy");
        var y = NpzReader.ReadAll(observation).Value["y"];
        NpyWriter.Write(yPath, NpyArray.Create(y.ToDoubleArray().Select(v => (float)v).ToArray(), y.Shape.Skip(1).ToArray()));

        // (a) The explicit reference.
        string reference = o.Reference ?? Out("explicit");
        if (o.Reference is null)
        {
            var sample = Concat(new[] { "sample", lensing }, o.Configuration, new[] { "--set", $"y=@{yPath}" },
                new[] { "--chains", $"{o.ReferenceChains}", "--warmup", $"{o.ReferenceWarmup}", "--draws", $"{o.ReferenceDraws}", "--seed", "1",
                        "--max-depth", "6", "--init-optimize", "50", "--init-hold-params", "--init-metric", "prior", "--early-max-depth", "5",
                        "-o", reference });
            if (!Step("explicit", sample, reference, 0, () => StudyStep.GradientsOfSampleRun(reference))) return 1;
        }
        else Console.WriteLine($"explicit: the reference draws {reference} (given with --reference; not rerun)");

        // (b) The two-point baseline on the spectra measured on the same map.
        var spectra = Out("spectra.npz");
        if (!Step("spectra", Concat(new[] { "simulate", Model("lensing_map_spectra.ppl"), "-n", "1", "--seed", "1" }, o.Configuration, o.TwoPointBands,
                new[] { "--set", $"maps=@{yPath}", "-o", spectra }), spectra, 0, null)) return 1;
        // ppl simulate writes cl_hat as [1, nbands·15]; the two-point model observes one [nbands·15] vector.
        var clHat = Out("cl_hat.npy");
        var measured = NpzReader.ReadAll(spectra).Value["cl_hat"];
        NpyWriter.Write(clHat, NpyArray.Create(measured.ToDoubleArray().Select(v => (float)v).ToArray(), measured.Shape.Skip(1).ToArray()));
        var twoPoint = Out("twopoint");
        if (!Step("twopoint", Concat(new[] { "sample", Model("lognormal_lensing_cl.ppl") }, o.Configuration, o.TwoPointBands,
                new[] { "--set", $"cl_hat=@{clHat}", "--chains", $"{o.ClChains}", "--warmup", $"{o.ClWarmup}", "--draws", $"{o.ClDraws}",
                        "--seed", "1", "-o", twoPoint }), twoPoint, 0, () => StudyStep.GradientsOfSampleRun(twoPoint))) return 1;

        // (c) One set of simulations; per loss a compressor on all of them, then NLE/NPE on the first n.
        var sims = Out("sims.npz");
        if (!Step("simulations", Concat(new[] { "simulate", lensing, "-n", $"{o.LargestBudget}", "--seed", o.SimulationSeed }, o.Configuration,
                new[] { "-o", sims }), sims, o.LargestBudget, null)) return 1;
        var implicitRoutes = new List<ImplicitRoute>();
        foreach (var loss in o.Losses)
        {
            var compressor = Out($"compressor-{loss}.pplz");
            var compress = Concat(new[] { "compress", lensing }, o.Configuration,
                new[] { "--loss", loss, "--from", sims, "--augment", "--seed", "1", "-o", compressor });
            if (o.CompressEpochs is { } e) compress.AddRange(new[] { "--epochs", e });
            if (!Step($"compressor-{loss}", compress, compressor, o.LargestBudget, null)) return 1;
            foreach (var method in o.Methods)
                foreach (var budget in o.Budgets)
                {
                    var name = $"{method}-{loss}-{budget}";
                    var estimator = Out(name + ".pplz");
                    var train = Concat(new[] { "train", lensing }, o.Configuration,
                        new[] { "--method", method, "--flow", o.Flow, "--from", sims, "--sims", $"{budget}", "--compressor", compressor,
                            "--seed", "2", "--no-plots", "-o", estimator });
                    if (o.TrainEpochs is { } te) train.AddRange(new[] { "--epochs", te });
                    if (!Step("train-" + name, train, estimator, budget, null)) return 1;
                    var draws = Out(name + ".csv");
                    if (!Step("posterior-" + name, new List<string> { "posterior", estimator, "--set", $"y=@{yPath}", "-n", $"{o.PosteriorDraws}",
                        "--seed", "3", "--no-plots", "-o", draws }, draws, 0, null)) return 1;
                    implicitRoutes.Add(new ImplicitRoute($"{method.ToUpperInvariant()} {loss} {budget}", method, loss, budget, draws));
                }
        }

        // All posteriors against the reference, then the plot of (a), (b) and the best implicit posterior.
        var compare = Out("compare");
        var inputs = new List<string> { reference, twoPoint };
        inputs.AddRange(implicitRoutes.Select(r => r.Draws));
        var labels = new List<string> { "explicit", "two-point" };
        labels.AddRange(implicitRoutes.Select(r => r.Label));
        var parameters = "omega_c,omega_b,sigma_8,h_0,n_s,w_0";
        if (!Step("compare", Concat(new[] { "compare" }, inputs, new[] { "--labels", string.Join(',', labels), "--params", parameters,
                "--max-rows", $"{o.CompareRows}", "-o", compare }), compare, 0, null)) return 1;
        var results = ComparisonResults.Read(Path.Combine(compare, "compare.json"));
        var best = implicitRoutes.OrderBy(r => results.C2st(r.Label) ?? double.PositiveInfinity).FirstOrDefault();
        string? plot = null;
        if (best is not null)
        {
            var plotFolder = Out("compare-best");
            if (!Step("compare-best", new List<string> { "compare", reference, twoPoint, best.Draws, "--labels", $"explicit,two-point,{best.Label}",
                    "--params", "omega_c,sigma_8,w_0", "--max-rows", $"{o.CompareRows}", "-o", plotFolder }, plotFolder, 0, null)) return 1;
            plot = Path.Combine(plotFolder, "corner.png");
        }
        var table = StudyTable.Render(o, results, steps, implicitRoutes, best, plot);
        File.WriteAllText(Out("study.md"), table);
        Console.WriteLine();
        Console.Write(table);
        return 0;
    }

    /// <summary>Runs one step unless its record exists; removes half-written outputs of an interrupted attempt first.</summary>
    private bool Step(string name, List<string> arguments, string outputPath, long simulations, Func<long>? gradients)
    {
        var command = string.Join(' ', arguments);
        if (StudyStep.Load(options.Output, name) is { } done && done.Command == command)
        {
            Console.WriteLine($"[{name}] done before ({done.CpuSeconds:F0} s processor): skipped");
            steps.Add(done);
            return true;
        }
        if (Directory.Exists(outputPath)) Directory.Delete(outputPath, recursive: true);
        else if (File.Exists(outputPath)) File.Delete(outputPath);
        var full = new List<string> { "--threads", options.Threads };
        full.AddRange(arguments);
        Console.WriteLine($"[{name}] {DateTime.UtcNow:HH:mm:ss} ppl {string.Join(' ', full.Select(a => a.Replace(options.Output, "$OUT").Replace(root, "$ROOT")))}");
        var (exit, wall, cpu) = ChildProcess.RunPpl(options.Ppl, full);
        if (exit != 0)
        {
            Console.Error.WriteLine($"[{name}] ppl exited with code {exit}; the study stops here (run it again to resume)");
            return false;
        }
        var step = new StudyStep(name, cpu.TotalSeconds, wall.TotalSeconds, simulations, gradients?.Invoke() ?? -1, command);
        step.Save(options.Output);
        steps.Add(step);
        Console.WriteLine(FormattableString.Invariant($"[{name}] {wall.TotalSeconds:F0} s wall, {cpu.TotalSeconds:F0} s processor"));
        return true;
    }

    private static List<string> Concat(params IEnumerable<string>[] parts) => parts.SelectMany(p => p).ToList();
}

/// <summary>One implicit route of the study: NLE or NPE on one loss's summaries at one simulation budget.</summary>
internal sealed record ImplicitRoute(string Label, string Method, string Loss, int Budget, string Draws);
