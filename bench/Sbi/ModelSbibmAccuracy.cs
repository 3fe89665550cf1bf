using System.Diagnostics;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Metrics;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Bench.Sbi;

/// <summary>
/// NPE and NLE on the compiled sbibm examples (examples/two_moons.ppl, examples/gaussian_linear.ppl) exactly as
/// `ppl train` and `ppl posterior` run them: simulations from the model with θ in the unconstrained space, 10,000
/// posterior draws at sbibm's observations 1 and 2 (NPE pushed through the bijectors, NLE by NUTS on the learned
/// likelihood plus the prior), and our C2ST against the reference posteriors. Estimators are amortised: one training
/// serves both observations. sbibm's anchors at 10⁴ simulations: NPE two moons 0.606, Gaussian linear 0.552; NLE
/// 0.713 / 0.555.
/// </summary>
internal static class ModelSbibmAccuracy
{
    private sealed record Method(string Name, EstimationMethod Kind, FlowKind Flow, TrainingOptions? Options = null);

    public static void Run(int simulations, bool quick, IReadOnlyCollection<string>? tasks, IReadOnlyCollection<string>? methods)
    {
        Console.WriteLine();
        Console.WriteLine($"Compiled models against sbibm reference posteriors: {simulations} simulations, 10,000 posterior draws, C2ST 10,000 vs 10,000");
        // CPU seconds are reported beside wall seconds: on a shared machine they are what an idle core would take (one
        // libtorch thread).
        Console.WriteLine($"{"task",-16} {"method",-22} {"obs",4} {"C2ST",6} {"train s",8} {"cpu s",7} {"epochs",7} {"sample s",9} {"cpu s",7} {"C2ST s",7}");
        var all = new[]
        {
            new Method("npe-spline", EstimationMethod.Npe, FlowKind.RationalQuadraticSpline),
            new Method("npe-maf", EstimationMethod.Npe, FlowKind.MaskedAutoregressive),
            new Method("nle-maf", EstimationMethod.Nle, FlowKind.MaskedAutoregressive),
            // The same spline flow with larger batches and a larger learning rate: fewer, cheaper optimiser steps.
            new Method("npe-spline-fast", EstimationMethod.Npe, FlowKind.RationalQuadraticSpline, new TrainingOptions { BatchSize = 512, LearningRate = 2e-3 }),
            // Large batches, a large initial learning rate annealed to zero over a fixed number of epochs (the best
            // validation epoch is kept): the step size shrinks where a constant rate keeps the weights jittering.
            new Method("npe-spline-cosine", EstimationMethod.Npe, FlowKind.RationalQuadraticSpline,
                new TrainingOptions { BatchSize = 512, LearningRate = 3e-3, Schedule = LearningRateSchedule.Cosine, MaxEpochs = 100, Patience = 100 }),
            new Method("npe-spline-cosine-256", EstimationMethod.Npe, FlowKind.RationalQuadraticSpline,
                new TrainingOptions { BatchSize = 256, LearningRate = 2e-3, Schedule = LearningRateSchedule.Cosine, MaxEpochs = 150, Patience = 150 }),
            new Method("npe-spline-cosine-200", EstimationMethod.Npe, FlowKind.RationalQuadraticSpline,
                new TrainingOptions { BatchSize = 512, LearningRate = 3e-3, Schedule = LearningRateSchedule.Cosine, MaxEpochs = 200, Patience = 200 }),
            new Method("npe-maf-cosine", EstimationMethod.Npe, FlowKind.MaskedAutoregressive,
                new TrainingOptions { BatchSize = 512, LearningRate = 3e-3, Schedule = LearningRateSchedule.Cosine, MaxEpochs = 100, Patience = 100 }),
        };
        foreach (var task in new[] { "two_moons", "gaussian_linear" })
        {
            if (tasks is not null && !tasks.Contains(task)) continue;
            var model = CompiledModels.Bind(task);
            var model64 = CompiledModels.Bind(task, ModelOptions.Float64);
            var layout = ObservationLayout.For(model, ObservationArrangement.Flat).Value;
            using var taskScope = NewDisposeScope();
            var data = ModelSimulations.Draw(model, layout, simulations, seed: 2024, score: false);
            var observations = new[] { "obs1", "obs2" }.Select(o => Reference(task, o)).ToArray();
            foreach (var method in all)
            {
                if (methods is null ? method.Options is not null : !methods.Contains(method.Name)) continue;
                using var scope = NewDisposeScope();
                var options = (method.Options ?? new TrainingOptions()) with { Seed = 1 };
                options = options with { MaxEpochs = quick ? 20 : method.Options is null ? 500 : options.MaxEpochs };
                var architecture = FlowArchitecture.Of(method.Flow);
                var clock = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var trained = method.Kind == EstimationMethod.Npe
                    ? NeuralPosteriorEstimation.Train(data.Theta, data.X, architecture, options)
                    : NeuralLikelihoodEstimation.Train(data.Theta, data.X, architecture, options);
                double trainSeconds = clock.Elapsed.TotalSeconds;
                double trainCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                if (!trained.IsSuccess)
                {
                    Console.WriteLine($"{task,-16} {method.Name,-22} failed: {trained.Error}");
                    continue;
                }
                using var estimator = trained.Value;
                foreach (var (name, observation, reference) in observations)
                {
                    using var obsScope = NewDisposeScope();
                    var x = layout.ArrangeFlat(observation).Value;
                    var sampleClock = Stopwatch.StartNew();
                    var sampleCpu = Process.GetCurrentProcess().TotalProcessorTime;
                    PosteriorDraws draws;
                    if (method.Kind == EstimationMethod.Npe) draws = ModelPosterior.SampleNpe(estimator, model64, x, reference.shape[0], seed: 7);
                    else
                    {
                        var nle = ModelPosterior.SampleNle(estimator, model64, x, reference.shape[0], new NleSamplingOptions { Seed = 7 });
                        if (!nle.IsSuccess)
                        {
                            Console.WriteLine($"{task,-16} {method.Name,-22} {name,4} failed: {nle.Error}");
                            continue;
                        }
                        draws = nle.Value.Draws;
                    }
                    double sampleSeconds = sampleClock.Elapsed.TotalSeconds;
                    double sampleCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - sampleCpu).TotalSeconds;
                    var c2stClock = Stopwatch.StartNew();
                    double accuracy = ClassifierTwoSampleTest.Compute(reference, draws.Columns, seed: 1).Accuracy;
                    Console.WriteLine($"{task,-16} {method.Name,-22} {name,4} {accuracy,6:F3} {trainSeconds,8:F1} {trainCpu,7:F1} {estimator.Report!.Epochs,7} {sampleSeconds,9:F1} {sampleCpuSeconds,7:F1} {c2stClock.Elapsed.TotalSeconds,7:F1}");
                }
            }
        }
    }

    private static (string Name, Tensor Observation, Tensor Reference) Reference(string task, string observation)
    {
        var folder = Path.Combine(SbibmTasks.ReferenceRoot(), "sbibm", task, observation);
        return (observation, SbibmTasks.ReadCsv(Path.Combine(folder, "observation.csv")).to_type(ScalarType.Float64),
            SbibmTasks.ReadCsv(Path.Combine(folder, "reference_posterior_samples.csv")));
    }
}
