namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// Sees each chain's draws as they are made (on the sampler's thread), so that they can be written as the run goes and
/// survive an interruption or a kill.
/// </summary>
public interface IDrawObserver
{
    /// <summary>A saved draw of one chain: a warm-up draw (only when warm-up draws are saved) or a sampling draw.</summary>
    void DrawCompleted(int chainId, Draw draw, bool warmup);

    /// <summary>The chain finished warm-up with this step size and metric (called once, also without adaptation).</summary>
    void WarmupCompleted(int chainId, double stepSize, EuclideanMetric metric);
}
