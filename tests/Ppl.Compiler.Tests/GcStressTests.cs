using System.Diagnostics;
using static TorchSharp.torch;

namespace Ppl.Compiler.Tests;

/// <summary>
/// Density and gradient evaluations while another thread forces garbage collections without pause. Before every
/// TorchSharp Scalar was kept alive for its native call (ScalarLifetimeAnalyzer), a collection could free one that libtorch
/// was reading: a libtorch error or a silently wrong number. Each result must equal, bit for bit, the reference computed
/// first without the collecting thread — the same process, inputs and thread count give the same bits by construction.
/// </summary>
public class GcStressTests
{
    [Theory]
    [InlineData("eight_schools.ppl")]
    [InlineData("AllBuiltins.ppl")]
    public void EvaluationsUnderForcedCollectionsEqualTheReference(string file)
    {
        using var scope = NewDisposeScope();
        var (model, u) = GoldenModel.AtSimulatedPoint(file, 4, 11);
        var reference = Bits(model, u);

        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        })
        { IsBackground = true };
        collector.Start();
        int evaluations = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(1.5) || evaluations < 20)
            {
                var bits = Bits(model, u);
                evaluations++;
                Assert.True(reference.SequenceEqual(bits), $"evaluation {evaluations} under forced collections differs from the reference");
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        Assert.True(Interlocked.Read(ref collections) >= 10, $"only {collections} collections ran during {evaluations} evaluations");
    }

    /// <summary>The log densities and gradients at <paramref name="u"/>, as the bits of their float64 values.</summary>
    private static long[] Bits(Ppl.Runtime.Models.Model model, Tensor u)
    {
        using var scope = NewDisposeScope();
        var (lp, grad) = model.LogDensityAndGradient(u);
        var values = cat(new[] { lp.reshape(-1), grad.reshape(-1) }, 0).to_type(ScalarType.Float64).data<double>().ToArray();
        return values.Select(BitConverter.DoubleToInt64Bits).ToArray();
    }
}
