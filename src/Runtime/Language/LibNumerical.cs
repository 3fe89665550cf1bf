using Ppl.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    /// <summary>
    /// Piecewise-linear interpolation (NumPy's interp, generalised): the knots xp [n] are increasing and unbatched; fp holds
    /// the values on its last axis [..., n]; the result has fp's leading axes followed by x's axes, and is clamped to the end
    /// values outside the knots. Differentiable in x and fp.
    /// </summary>
    public static Tensor Interp(Ev x, Ev xp, Ev fp)
    {
        if (xp.Batched) throw new ArgumentException("interp: the knots xp must not depend on random variables");
        var knots = xp.Value;
        long n = knots.shape[0];
        var xs = x.Value.to_type(fp.Value.dtype);
        using var keptScalar48 = (n - 1).ToScalar();
        var idx = searchsorted(knots.contiguous(), xs.contiguous().detach()).clamp(ConstantScalars.Of(1), keptScalar48);
        var x0 = knots[TensorArithmetic.Sub(idx, 1)];
        var x1 = knots[idx];
        var w = ((xs - x0) / (x1 - x0)).clamp(ConstantScalars.Of(0.0), ConstantScalars.Of(1.0));
        var xEvent = x.Value.shape.Skip(x.Batched ? 1 : 0).ToArray();
        var lead = fp.Value.shape.Skip(fp.Batched ? 1 : 0).SkipLast(1).ToArray();
        if (!x.Batched)
        {
            var flat = idx.reshape(-1);
            var wf = w.reshape(-1);
            var lower = fp.Value.index_select(-1, TensorArithmetic.Sub(flat, 1));
            var upper = fp.Value.index_select(-1, flat);
            var result = TensorArithmetic.Add(lower, (upper - lower) * wf);
            var shape = (fp.Batched ? new[] { fp.Value.shape[0] } : Array.Empty<long>()).Concat(lead).Concat(xEvent).ToArray();
            return result.reshape(shape);
        }
        long b = x.Value.shape[0];
        var fpB = fp.Batched ? fp.Value : ExpandBatch(fp.Value, b);
        var m = idx.reshape(b, -1);
        var view = new long[lead.Length + 2];
        view[0] = b;
        for (int i = 0; i < lead.Length; i++) view[i + 1] = 1;
        view[^1] = m.shape[1];
        var full = new[] { b }.Concat(lead).Append(m.shape[1]).ToArray();
        var gi = m.reshape(view).expand(full);
        var lo = fpB.gather(-1, TensorArithmetic.Sub(gi, 1));
        var hi = fpB.gather(-1, gi);
        var r = TensorArithmetic.Add(lo, (hi - lo) * w.reshape(view));
        return r.reshape(new[] { b }.Concat(lead).Concat(xEvent).ToArray());
    }

    /// <summary>
    /// Solves dy/dt = f(t, y) with classical fourth-order Runge–Kutta, <paramref name="steps"/> equal substeps per interval of
    /// <paramref name="times"/>; returns y at every time, time axis first after the batch axis. Differentiable through the steps.
    /// </summary>
    public static Tensor OdeIntRk4(Func<Tensor, Tensor, Tensor> f, Ev y0, Tensor times, bool stateBatched, long batch, long steps)
    {
        var t = TimesOf(times);
        var y = stateBatched && !y0.Batched ? ExpandBatch(y0.Value, batch) : y0.Value;
        var outputs = new List<Tensor> { y };
        var dtype = y.dtype;
        for (int i = 0; i + 1 < t.Length; i++)
        {
            double h = (t[i + 1] - t[i]) / steps;
            for (long s = 0; s < steps; s++)
            {
                double tc = t[i] + s * h;
                using var scope = NewDisposeScope();
                // y + c·k as one fused operation (add with alpha): each operation costs microseconds and a backward node.
                var middle = Time(tc + h / 2, dtype, y.device);
                var k1 = f(Time(tc, dtype, y.device), y);
                using var keptScalar49 = (h / 2).ToScalar();
                var k2 = f(middle, y.add(k1, keptScalar49));
                using var keptScalar50 = (h / 2).ToScalar();
                var k3 = f(middle, y.add(k2, keptScalar50));
                using var keptScalar51 = h.ToScalar();
                var k4 = f(Time(tc + h, dtype, y.device), y.add(k3, keptScalar51));
                var sum = k1.add(k2, ConstantScalars.Of(2.0)).add_(k3, ConstantScalars.Of(2.0)).add_(k4, TensorArithmetic.One);
                using var keptScalar52 = (h / 6).ToScalar();
                y = y.add(sum, keptScalar52).MoveToOuterDisposeScope();
            }
            outputs.Add(y);
        }
        return stack(outputs, stateBatched ? 1 : 0);
    }

    // Dormand–Prince 5(4) tableau.
    private static readonly double[] C = { 0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1 };
    private static readonly double[][] A =
    {
        Array.Empty<double>(),
        new[] { 1.0 / 5 },
        new[] { 3.0 / 40, 9.0 / 40 },
        new[] { 44.0 / 45, -56.0 / 15, 32.0 / 9 },
        new[] { 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729 },
        new[] { 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656 },
        new[] { 35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84 },
    };
    private static readonly double[] B5 = { 35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0 };
    private static readonly double[] B4 = { 5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40 };

    /// <summary>
    /// Adaptive Dormand–Prince 5(4): one step size for the whole batch, controlled by the largest scaled error, landing
    /// exactly on every requested time. The step-size decisions carry no gradient; the solution is differentiable.
    /// </summary>
    public static Tensor OdeIntDopri5(Func<Tensor, Tensor, Tensor> f, Ev y0, Tensor times, bool stateBatched, long batch, double rtol, double atol)
    {
        const int MaxSteps = 100_000;
        var t = TimesOf(times);
        var y = stateBatched && !y0.Batched ? ExpandBatch(y0.Value, batch) : y0.Value;
        var dtype = y.dtype;
        var outputs = new List<Tensor> { y };
        double h = t.Length > 1 ? Math.Abs(t[1] - t[0]) / 10 : 0;
        int taken = 0;
        for (int i = 0; i + 1 < t.Length; i++)
        {
            double tc = t[i], end = t[i + 1];
            double dir = Math.Sign(end - tc);
            while ((end - tc) * dir > 1e-12 * Math.Max(1, Math.Abs(end)))
            {
                if (++taken > MaxSteps) throw new ModelDomainException($"odeint_adaptive: more than {MaxSteps} steps (stiff problem or tolerance too tight)");
                double step = Math.Min(h, Math.Abs(end - tc)) * dir;
                using var scope = NewDisposeScope();
                var k = new Tensor[7];
                k[0] = f(Time(tc, dtype, y.device), y);
                for (int s = 1; s < 7; s++)
                {
                    var yi = y;
                    for (int j = 0; j < s; j++)
                        if (A[s][j] != 0) yi = TensorArithmetic.Add(yi, TensorArithmetic.Mul((step * A[s][j]), k[j]));
                    k[s] = f(Time(tc + C[s] * step, dtype, y.device), yi);
                }
                var y5 = y;
                var err = zeros_like(y);
                for (int j = 0; j < 7; j++)
                {
                    if (B5[j] != 0) y5 = TensorArithmetic.Add(y5, TensorArithmetic.Mul((step * B5[j]), k[j]));
                    if (B5[j] - B4[j] != 0) err = TensorArithmetic.Add(err, TensorArithmetic.Mul((step * (B5[j] - B4[j])), k[j]));
                }
                var scale = TensorArithmetic.Add(atol, TensorArithmetic.Mul(rtol, y.abs().maximum(y5.abs())));
                double ratio;
                using (no_grad())
                {
                    var e = TensorArithmetic.Square((err / scale));
                    var perItem = stateBatched ? e.reshape(e.shape[0], -1).mean(new long[] { 1 }) : e.mean();
                    ratio = Math.Sqrt(perItem.max().to_type(ScalarType.Float64).item<double>());
                }
                if (double.IsNaN(ratio)) throw new ModelDomainException("odeint_adaptive: the solution became NaN");
                if (ratio <= 1)
                {
                    tc += step;
                    y = y5.MoveToOuterDisposeScope();
                }
                double factor = ratio == 0 ? 5 : Math.Clamp(0.9 * Math.Pow(ratio, -0.2), 0.2, 5);
                h = Math.Abs(step) * factor;
            }
            outputs.Add(y);
        }
        return stack(outputs, stateBatched ? 1 : 0);
    }

    private static double[] TimesOf(Tensor times) => times.to_type(ScalarType.Float64).cpu().data<double>().ToArray();

    private static Tensor Time(double t, ScalarType dtype, Device device) => tensor(t, dtype, device);
}
