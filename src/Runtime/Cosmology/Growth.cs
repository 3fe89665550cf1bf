using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Linear growth of structure from the ODE jax-cosmo solves,
/// D'' + q(a) D' − r(a) D = 0 with q = (2 − ½(Ω_m(a) + (1 + 3w(a)) Ω_de(a))) / a and r = 3/2 Ω_m(a) / a²,
/// started at a = 10⁻³ with D = a, D' = 1 (matter domination) and normalised to D(1) = 1.
/// </summary>
public static class Growth
{
    /// <summary>Scale factors of the growth table: 128 points evenly spaced in log a on [10⁻³, 1] (jax-cosmo's grid).</summary>
    public static readonly double[] TableScaleFactors = Background.LogSpace(-3.0, 0.0, 128);

    /// <summary>Linear growth factor D(a), normalised to 1 today, for a of shape [n] or [B, n]; returns [B, n].</summary>
    public static Tensor Factor(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        return Tabulate(c).Factor(a).MoveToOuterDisposeScope();
    }

    /// <summary>Growth rate f(a) = d ln D / d ln a for a of shape [n] or [B, n]; returns [B, n].</summary>
    public static Tensor Rate(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        return Tabulate(c).Rate(a).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Solves the growth ODE on <see cref="TableScaleFactors"/> with classical RK4 steps between consecutive nodes, as
    /// jax-cosmo does. The ODE is linear, so each RK4 step is a 2×2 matrix M_k built from the coefficients at the step's
    /// ends and midpoint; the solution at every node is a prefix product of these matrices, computed with a parallel
    /// (Hillis–Steele) scan in ⌈log₂ 127⌉ = 7 batched matrix products instead of 127 sequential steps.
    /// </summary>
    public static GrowthTable Tabulate(CosmologyParameters c)
    {
        using var scope = NewDisposeScope();
        var nodes = TableScaleFactors;
        int n = nodes.Length;
        var steps = new double[n - 1];
        var mids = new double[n - 1];
        for (int i = 0; i < n - 1; i++)
        {
            steps[i] = nodes[i + 1] - nodes[i];
            mids[i] = nodes[i] + steps[i] / 2.0;
        }
        var points = tensor(nodes.Concat(mids).ToArray(), dtype: c.DType, device: c.Device).unsqueeze(0);
        var omegaM = Background.OmegaMatterAligned(c, points);
        var omegaDe = Background.OmegaDarkEnergyAligned(c, points);
        var w = Background.WAligned(c, points);
        var q = (TensorArithmetic.Sub(2.0, TensorArithmetic.Mul(0.5, (TensorArithmetic.Add(omegaM, (TensorArithmetic.Add(1.0, TensorArithmetic.Mul(3.0, w))) * omegaDe))))) / points;
        var r = TensorArithmetic.Mul(1.5, omegaM) / TensorArithmetic.Square(points);
        // System matrix A(a) = [[0, 1], [r, −q]] for y = (D, dD/da): [B, 2n−1, 2, 2].
        var zero = zeros_like(q);
        var one = ones_like(q);
        var system = stack(new[] { zero, one, r, -q }, -1).reshape(c.BatchSize, 2 * n - 1, 2, 2);
        var a0 = system.narrow(1, 0, n - 1);
        var a1 = system.narrow(1, 1, n - 1);
        var am = system.narrow(1, n, n - 1);
        var h = tensor(steps, dtype: c.DType, device: c.Device).reshape(1, n - 1, 1, 1);
        var k1 = a0;
        var k2 = TensorArithmetic.Add(am, TensorArithmetic.Div(h, 2.0) * am.matmul(k1));
        var k3 = TensorArithmetic.Add(am, TensorArithmetic.Div(h, 2.0) * am.matmul(k2));
        var k4 = TensorArithmetic.Add(a1, h * a1.matmul(k3));
        var identity = eye(2, dtype: c.DType, device: c.Device);
        var step = TensorArithmetic.Add(identity, TensorArithmetic.Div(h, 6.0) * (TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Add(k1, TensorArithmetic.Mul(2.0, k2)), TensorArithmetic.Mul(2.0, k3)), k4)));

        // prefix[k] = step[k] · … · step[0]
        var prefix = step;
        for (long d = 1; d < n - 1; d *= 2)
        {
            var later = prefix.narrow(1, d, n - 1 - d);
            var earlier = prefix.narrow(1, 0, n - 1 - d);
            prefix = cat(new[] { prefix.narrow(1, 0, d), later.matmul(earlier) }, 1);
        }
        var y0 = tensor(new[] { nodes[0], 1.0 }, dtype: c.DType, device: c.Device).reshape(1, 1, 2, 1);
        var later0 = prefix.matmul(y0).squeeze(-1); // [B, n−1, 2] at nodes 1…n−1
        var y = cat(new[] { y0.reshape(1, 1, 2).expand(c.BatchSize, 1, 2), later0 }, 1);
        var d0 = y.select(2, 0);
        var d1 = y.select(2, 1);
        var today = d0.narrow(1, n - 1, 1);
        var growth = d0 / today;
        var nodeTensor = tensor(nodes, dtype: c.DType, device: c.Device);
        var rate = d1 * nodeTensor / d0;
        var table = new GrowthTable(nodeTensor, growth, rate);
        table.MoveToOuterDisposeScope();
        return table;
    }
}
