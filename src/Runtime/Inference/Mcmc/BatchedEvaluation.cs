using static TorchSharp.torch;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Evaluates a batch of positions in one call to the log density, converting to and from managed arrays.</summary>
public static class BatchedEvaluation
{
    /// <summary>Evaluates every position (each of length D) in one [n, D] call.</summary>
    public static DensityEvaluation[] Evaluate(ILogDensityFunction density, IReadOnlyList<double[]> positions)
    {
        int n = positions.Count;
        int d = density.Dimension;
        if (n == 0) return Array.Empty<DensityEvaluation>();
        var flat = new double[n * d];
        for (int i = 0; i < n; i++) Array.Copy(positions[i], 0, flat, i * d, d);

        using var scope = NewDisposeScope();
        var x = tensor(flat, new long[] { n, d }, ScalarType.Float64);
        var (logDensity, gradient) = density.Evaluate(x);
        // A wrong shape is a defect of the adapter, not a property of the model: it is reported as an exception.
        if (logDensity.numel() != n)
            throw new InvalidOperationException($"The log density returned {logDensity.numel()} values for {n} positions.");
        if (gradient.numel() != (long)n * d)
            throw new InvalidOperationException($"The gradient has {gradient.numel()} elements; expected {n}×{d}.");
        var lp = logDensity.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var g = gradient.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var result = new DensityEvaluation[n];
        for (int i = 0; i < n; i++)
        {
            var row = new double[d];
            Array.Copy(g, i * d, row, 0, d);
            result[i] = new DensityEvaluation(lp[i], row);
        }
        return result;
    }
}
