using Ppl.Runtime.Flows;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>What a trained conditional flow estimates.</summary>
public enum EstimatorKind
{
    /// <summary>NPE: q(θ | x); target θ [n, Dθ], context x.</summary>
    Posterior,
    /// <summary>NLE: q(x | θ); target x [n, Dx], context θ [n, Dθ].</summary>
    Likelihood,
}

/// <summary>A trained neural estimator: the flow, what it estimates, and how it was trained. Owns the flow.</summary>
public sealed class TrainedEstimator : IDisposable
{
    public TrainedEstimator(EstimatorKind kind, ConditionalFlow flow, TrainingOptions options, TrainingReport? report,
        double scoreWeight = 0)
    {
        Kind = kind;
        Flow = flow;
        Options = options;
        Report = report;
        ScoreWeight = scoreWeight;
    }

    public EstimatorKind Kind { get; }

    public ConditionalFlow Flow { get; }

    public FlowArchitecture Architecture => Flow.Architecture;

    public TrainingOptions Options { get; }

    /// <summary>The training report (null for an estimator whose bundle carried none).</summary>
    public TrainingReport? Report { get; }

    /// <summary>λ of score-augmented training (0 when the score was not used).</summary>
    public double ScoreWeight { get; }

    /// <summary>log q(target | context) [n]: log q(θ | x) for NPE, log q(x | θ) for NLE.</summary>
    public Tensor LogProb(Tensor target, Tensor? context) => Flow.LogProb(target, context);

    /// <summary>Samples of the target given one context row (or one per sample); see <see cref="ConditionalFlow.Sample"/>.</summary>
    public Tensor Sample(long numSamples, Tensor? context, ulong seed) => Flow.Sample(numSamples, context, seed);

    public void Dispose() => Flow.Dispose();
}
