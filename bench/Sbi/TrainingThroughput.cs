using System.Diagnostics;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Sbi;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Bench.Sbi;

/// <summary>Training throughput (simulations per second through loss, backward and Adam step) of each flow kind,
/// plus sampling throughput, at batch 200 with the default architectures (5 layers, 2×50 hidden units).</summary>
internal static class TrainingThroughput
{
    public static void Run(bool quick)
    {
        int steps = quick ? 10 : 40;
        const int batch = 200;
        Console.WriteLine();
        Console.WriteLine($"Training throughput, CPU, batch {batch}, {steps} steps after warm-up (simulations/s)");
        Console.WriteLine($"{"flow",-26} {"d",3} {"ctx",4} {"train sims/s",13} {"ms/step",8} {"sample/s",10} {"score-aug sims/s",17}");
        foreach (var (d, c) in new[] { (2, 2), (10, 10) })
            foreach (var kind in new[] { FlowKind.AffineCoupling, FlowKind.MaskedAutoregressive, FlowKind.RationalQuadraticSpline, FlowKind.SmoothCoupling })
            {
                var architecture = FlowArchitecture.Of(kind) with { Dimension = d, ContextShape = [c] };
                using var flow = new ConditionalFlow(architecture, 1);
                using var scope = NewDisposeScope();
                var theta = Normal(1, batch, d);
                var x = Normal(2, batch, c);
                var score = Normal(3, batch, d);
                using var optimizer = new AdamOptimizer(flow.parameters(), 5e-4);
                double Time(bool withScore)
                {
                    var watch = new Stopwatch();
                    for (int i = -3; i < steps; i++) // three warm-up steps
                    {
                        if (i == 0) watch.Start();
                        using var step = NewDisposeScope();
                        optimizer.ZeroGrad();
                        var loss = ConditionalDensityTrainer.Loss(flow, theta, x, withScore ? score : null, withScore ? 1e-3 : 0, createGraph: true);
                        loss.backward();
                        nn.utils.clip_grad_norm_(flow.parameters(), 5.0);
                        optimizer.Step();
                    }
                    return watch.Elapsed.TotalSeconds / steps;
                }
                double perStep = Time(false);
                double scorePerStep = kind == FlowKind.SmoothCoupling ? Time(true) : double.NaN;
                var sampleWatch = Stopwatch.StartNew();
                int sampleRepeats = quick ? 1 : 3;
                for (int i = 0; i < sampleRepeats; i++) flow.Sample(1000, x.narrow(0, 0, 1), (ulong)i).Dispose();
                double samplesPerSecond = 1000.0 * sampleRepeats / sampleWatch.Elapsed.TotalSeconds;
                string scoreText = double.IsNaN(scorePerStep) ? "-" : $"{batch / scorePerStep:F0}";
                Console.WriteLine($"{kind,-26} {d,3} {c,4} {batch / perStep,13:F0} {perStep * 1000,8:F2} {samplesPerSecond,10:F0} {scoreText,17}");
            }
    }

    private static Tensor Normal(ulong seed, long n, long d) =>
        new RandomStream(seed, 1, 0, [n, d], ScalarType.Float32, CPU).StandardNormal();
}
