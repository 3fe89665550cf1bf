using System.Diagnostics;
using System.Globalization;
using Ppl.Compiler;
using Ppl.Runtime.Cosmology;
using Ppl.Runtime.Language;
using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Bench.Lensing;

/// <summary>Wall and CPU time of one repeated operation.</summary>
internal readonly record struct Timing(double WallMs, double CpuMs)
{
    /// <summary>Items per second for <paramref name="items"/> items per call, e.g. "2.7 (2.9)".</summary>
    public string Rate(long items) => $"{Format(items * 1000 / WallMs)} ({Format(items * 1000 / CpuMs)} cpu)";

    private static string Format(double v) => v.ToString(v >= 100 ? "F0" : v >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);
}

/// <summary>Times the lensing model at one map size: simulations, log density with gradient, and the C_ell alone.</summary>
internal sealed class LensingTiming
{
    private static readonly Dictionary<string, double> Fiducial = new()
    {
        ["omega_c"] = 0.2664, ["omega_b"] = 0.0492, ["sigma_8"] = 0.831, ["h_0"] = 0.6727, ["n_s"] = 0.9645, ["w_0"] = -1.0,
    };

    private readonly Model _full;
    private readonly Model _mapsOnly;
    private readonly long _n;
    private readonly double _budget;

    public LensingTiming(Compilation full, Compilation mapsOnly, long n, double budget)
    {
        _n = n;
        _budget = budget;
        var data = new Dictionary<string, DataInput> { ["N"] = DataInput.Scalar(n, "bench") };
        var prior = Model.Bind(full.Factory!(), data).Model!;
        var conditioning = Fiducial.ToDictionary(kv => kv.Key, kv => DataInput.Scalar(kv.Value, "bench"));
        var sim = prior.Simulate(new SimulationRequest(1, 7) { Conditioning = conditioning });
        data["y"] = new DataInput(sim.Values["y"][0].to_type(ScalarType.Float64), "simulated");
        _full = Model.Bind(full.Factory!(), data).Model!;
        _mapsOnly = Model.Bind(mapsOnly.Factory!(), data).Model!;
    }

    /// <summary>Simulations of a batch of <paramref name="batch"/> (recording no lets).</summary>
    public Timing Simulations(long batch, bool mapsOnly = false)
    {
        var model = mapsOnly ? _mapsOnly : _full;
        ulong seed = 1;
        return Measure(() => model.Simulate(new SimulationRequest(batch, seed++) { ChunkSize = batch, RecordLets = new HashSet<string>() }));
    }

    /// <summary>Log density and gradient at <paramref name="batch"/> points drawn from the prior.</summary>
    public Timing Gradients(long batch, bool mapsOnly = false)
    {
        var model = mapsOnly ? _mapsOnly : _full;
        var sim = _full.Simulate(new SimulationRequest(batch, 3) { ChunkSize = batch, RecordLets = new HashSet<string>() });
        var u = model.Unconstrain(model.Sites.Where(s => s.InUnconstrainedVector).ToDictionary(s => s.Name, s => sim.Values[s.Name]));
        return Measure(() => model.LogDensityAndGradient(u));
    }

    /// <summary>C_ell of the map's ℓ table and the shifts for one cosmology, forward only or with the gradient in θ.</summary>
    public Timing Cl(bool gradient)
    {
        var tracer = new WeakLensingObject(WeakLensingTracer.LsstY10(), ScalarType.Float32, CPU);
        var table = Lib.ShiftTable(new Ev(Lib.LsstY10ShiftGrid(ScalarType.Float32, CPU), false));
        double side = 10.0 / 180.0 * Math.PI;
        var ell = tensor(Enumerable.Range(0, (int)(2 * _n)).Select(i => 2 * Math.PI * Math.Abs(i < _n ? i : i - 2 * _n) / side).ToArray(), dtype: ScalarType.Float32);
        return Measure(() =>
        {
            var theta = tensor(new float[] { 0.2664f, 0.0492f, 0.6727f, 0.9645f, 0.831f, -1f }).reshape(1, 6).requires_grad_(gradient);
            var p = theta.unbind(1);
            var cosmo = new CosmologyObject(new CosmologyParameters(p[0], p[1], p[2], p[3], p[4], p[5]), true);
            var cl = Lib.AngularCl(cosmo, tracer, new Ev(ell, false));
            var shift = Lib.LognormalShift(cosmo, table, false);
            if (gradient) autograd.grad(new[] { TensorArithmetic.Add(cl.sum(), shift.sum()) }, new[] { theta });
        });
    }

    /// <summary>
    /// The per-mode eigen-decomposition alone: N² random symmetric positive semi-definite 5 × 5 float32 matrices, by
    /// libtorch's <c>linalg.eigh</c> (one LAPACK call per matrix) or by <see cref="SymmetricEigen"/> (the batched Jacobi
    /// kernel), forward only or with the backward pass of the model's square root Q √Λ Qᵀ.
    /// </summary>
    public Timing Eigh(bool jacobi, bool gradient)
    {
        var x = randn(new[] { _n * _n, 5, 5 }, generator: new Generator(5));
        var a = x.matmul(x.transpose(-2, -1));
        var weights = randn(new[] { _n * _n, 5, 5 }, generator: new Generator(6));
        return Measure(() =>
        {
            var input = a.clone().requires_grad_(gradient);
            var (values, vectors) = jacobi ? SymmetricEigen.Decompose(input) : linalg.eigh(input);
            if (!gradient) return;
            var root = (vectors * values.clamp_min(ConstantScalars.Of(0.0)).sqrt().unsqueeze(-2)).matmul(vectors.transpose(-2, -1));
            autograd.grad(new[] { (root * weights).sum() }, new[] { input });
        });
    }

    /// <summary>
    /// Milliseconds of processor time of one B = 1 simulation and gradient evaluation in each part: the C_ell timed alone,
    /// the maps from the model with a fixed cosmology, the spectra and square roots as the rest. Processor time, not wall
    /// time, so that other load on a shared machine does not leak into the differences.
    /// </summary>
    public (string SimCl, string SimSpectra, string SimMaps, string GradCl, string GradSpectra, string GradMaps) Split(Timing sim, Timing grad)
    {
        var clForward = Cl(gradient: false);
        var clGradient = Cl(gradient: true);
        var simMaps = Simulations(1, mapsOnly: true);
        var gradMaps = Gradients(1, mapsOnly: true);
        static string Ms(double ms) => ms.ToString(ms >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);
        return (Ms(clForward.CpuMs), Ms(sim.CpuMs - clForward.CpuMs - simMaps.CpuMs), Ms(simMaps.CpuMs),
            Ms(clGradient.CpuMs), Ms(grad.CpuMs - clGradient.CpuMs - gradMaps.CpuMs), Ms(gradMaps.CpuMs));
    }

    /// <summary>
    /// The fastest of the repetitions filling the time budget (at least three, after a warm-up) of one call, in wall and in
    /// processor time: on a shared machine the fastest run is the one least disturbed by other processes.
    /// </summary>
    private Timing Measure(Action call)
    {
        using (var warm = NewDisposeScope()) call();
        var walls = new List<double>();
        var cpus = new List<double>();
        var total = Stopwatch.StartNew();
        var process = Process.GetCurrentProcess();
        while (walls.Count < 3 || total.Elapsed.TotalSeconds < _budget)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            using (var scope = NewDisposeScope()) call();
            walls.Add(sw.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpus.Add((process.TotalProcessorTime - cpu).TotalMilliseconds);
            if (walls.Count >= 50) break;
        }
        return new Timing(walls.Min(), cpus.Min());
    }
}
