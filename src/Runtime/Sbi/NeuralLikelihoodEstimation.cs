using Ppl.Runtime.Flows;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// Neural likelihood estimation: fits q(x | θ) to simulations by maximum likelihood. The posterior is then
/// sampled by MCMC on log q(x_obs | θ) + log p(θ). x [n, ...] is flattened to [n, Dx]; θ [n, Dθ] is the context.
/// </summary>
public static class NeuralLikelihoodEstimation
{
    public static SbiResult<TrainedEstimator> Train(Tensor theta, Tensor x, FlowArchitecture architecture, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null)
    {
        if (x.dim() < 2)
            return SbiResult<TrainedEstimator>.Failure(SbiError.ShapeMismatch, $"x must have shape [n, ...]; got [{string.Join(", ", x.shape)}].");
        using var flat = x.reshape(x.shape[0], -1);
        var result = ConditionalDensityTrainer.Train(flat, theta, null, 0, architecture, options, progress);
        return result.IsSuccess
            ? SbiResult<TrainedEstimator>.Success(new TrainedEstimator(EstimatorKind.Likelihood, result.Value.Flow, options, result.Value.Report))
            : result.Error;
    }

    /// <summary>log q(x_obs | θ) for each row of θ [n, Dθ], with x_obs [1, Dx] (or [1, ...]) shared; [n].</summary>
    public static Tensor LogLikelihood(TrainedEstimator estimator, Tensor observation, Tensor theta)
    {
        var x = observation.reshape(1, -1).expand(theta.shape[0], -1);
        return estimator.LogProb(x, theta);
    }
}
