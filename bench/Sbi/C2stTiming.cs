using System.Diagnostics;
using Ppl.Runtime.Metrics;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Bench.Sbi;

/// <summary>Wall time of the sbibm-protocol C2ST for n vs n samples, same distribution and shifted.</summary>
internal static class C2stTiming
{
    public static void Run(int n)
    {
        Console.WriteLine();
        Console.WriteLine($"C2ST timing, {n} vs {n} samples, 5 folds, MLP 2×(10·d) (sklearn defaults)");
        Console.WriteLine($"{"case",-28} {"d",3} {"accuracy",9} {"seconds",8} {"epochs per fold",20}");
        foreach (var (name, d, shift) in new[] { ("same distribution", 2, 0.0), ("mean shift 0.3σ", 2, 0.3), ("same distribution", 10, 0.0) })
        {
            using var scope = NewDisposeScope();
            var a = new RandomStream(1, 1, 0, [n, d], ScalarType.Float32, CPU).StandardNormal();
            var b = TensorArithmetic.Add(new RandomStream(2, 1, 0, [n, d], ScalarType.Float32, CPU).StandardNormal(), shift);
            var watch = Stopwatch.StartNew();
            var result = ClassifierTwoSampleTest.Compute(a, b, seed: 1);
            Console.WriteLine($"{name,-28} {d,3} {result.Accuracy,9:F3} {watch.Elapsed.TotalSeconds,8:F1} {string.Join(",", result.EpochsPerFold),20}");
        }
    }
}
