using System.Diagnostics;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Metrics;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Bench.Sbi;

/// <summary>
/// NPE on the sbibm two-moons and Gaussian-linear tasks: train on N simulations, draw 10,000 posterior samples
/// at obs1 (rejecting samples outside a bounded prior's support, as sbi does), and compare them with the
/// reference posterior by C2ST. sbibm's NPE anchors at 10⁴ simulations (spline flows): two moons 0.606,
/// Gaussian linear 0.552.
/// </summary>
internal static class SbibmAccuracy
{
    public static void Run(int simulations, bool quick, bool sanityOnly = false)
    {
        Console.WriteLine();
        Console.WriteLine($"NPE accuracy against sbibm reference posteriors (obs1), {simulations} simulations, 10,000 posterior samples");
        Console.WriteLine($"{"task",-16} {"flow",-24} {"C2ST",6} {"train s",8} {"epochs",7} {"sample s",9} {"C2ST s",7}");
        var tasks = new (string Name, Func<long, ulong, (Tensor, Tensor)> Simulate, bool BoundedPrior)[]
        {
            ("two_moons", SbibmTasks.TwoMoons, true),
            ("gaussian_linear", SbibmTasks.GaussianLinear, false),
        };
        // Sanity row: prior draws against the reference posterior must be told apart (C2ST near 1).
        using (NewDisposeScope())
        {
            var reference = SbibmTasks.ReadCsv(Path.Combine(SbibmTasks.ReferenceRoot(), "sbibm", "two_moons", "obs1", "reference_posterior_samples.csv"));
            var (prior, _) = SbibmTasks.TwoMoons(reference.shape[0], 99);
            var watch = Stopwatch.StartNew();
            var accuracy = ClassifierTwoSampleTest.Compute(reference, prior, seed: 1).Accuracy;
            Console.WriteLine($"{"two_moons",-16} {"prior draws (sanity)",-24} {accuracy,6:F3} {"-",8} {"-",7} {"-",9} {watch.Elapsed.TotalSeconds,7:F1}");
        }
        if (sanityOnly) return;
        foreach (var (name, simulate, bounded) in tasks)
            foreach (var kind in new[] { FlowKind.RationalQuadraticSpline, FlowKind.MaskedAutoregressive })
            {
                using var scope = NewDisposeScope();
                var folder = Path.Combine(SbibmTasks.ReferenceRoot(), "sbibm", name, "obs1");
                var reference = SbibmTasks.ReadCsv(Path.Combine(folder, "reference_posterior_samples.csv"));
                var observation = SbibmTasks.ReadCsv(Path.Combine(folder, "observation.csv"));
                var (theta, x) = simulate(simulations, 2024);
                var architecture = FlowArchitecture.Of(kind);
                var options = new TrainingOptions { Seed = 1, MaxEpochs = quick ? 20 : 500 };
                var train = Stopwatch.StartNew();
                var result = NeuralPosteriorEstimation.Train(theta, x, architecture, options);
                double trainSeconds = train.Elapsed.TotalSeconds;
                if (!result.IsSuccess)
                {
                    Console.WriteLine($"{name,-16} {kind,-24} failed: {result.Error}");
                    continue;
                }
                using var estimator = result.Value;
                var sample = Stopwatch.StartNew();
                var samples = Posterior(estimator, observation, (int)reference.shape[0], bounded);
                double sampleSeconds = sample.Elapsed.TotalSeconds;
                var c2st = Stopwatch.StartNew();
                var accuracy = ClassifierTwoSampleTest.Compute(reference, samples, seed: 1).Accuracy;
                Console.WriteLine($"{name,-16} {kind,-24} {accuracy,6:F3} {trainSeconds,8:F1} {estimator.Report!.Epochs,7} {sampleSeconds,9:F1} {c2st.Elapsed.TotalSeconds,7:F1}");
            }
    }

    private static Tensor Posterior(TrainedEstimator estimator, Tensor observation, int count, bool boundedPrior)
    {
        if (!boundedPrior) return estimator.Sample(count, observation, seed: 7);
        // Rejection by the U(−1, 1)² support, drawing in rounds until enough samples are accepted.
        var accepted = new List<Tensor>();
        long total = 0;
        for (ulong round = 0; total < count && round < 50; round++)
        {
            var draw = estimator.Sample(count, observation, seed: 7 + round);
            var inside = draw.abs().le(ConstantScalars.Of(1)).all(1);
            var kept = draw.index_select(0, inside.nonzero().squeeze(1));
            accepted.Add(kept);
            total += kept.shape[0];
        }
        return cat(accepted, 0).narrow(0, 0, Math.Min(count, total));
    }
}
