using Ppl.Runtime.Flows;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// Neural posterior estimation: fits q(θ | x) to simulations (θ_i, x_i) by maximum likelihood, optionally
/// with the simulator's joint score (score-augmented NPE, Zeghal et al. 2022). θ is [n, Dθ] in the model's
/// unconstrained space; x is [n, ...] (vectors, or [n, T, channels] series with a Conv1d embedding).
/// </summary>
public static class NeuralPosteriorEstimation
{
    /// <summary>Trains q(θ | x) with the negative log-likelihood loss.</summary>
    public static SbiResult<TrainedEstimator> Train(Tensor theta, Tensor x, FlowArchitecture architecture, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null)
    {
        var result = ConditionalDensityTrainer.Train(theta, x, null, 0, architecture, options, progress);
        return result.IsSuccess
            ? SbiResult<TrainedEstimator>.Success(new TrainedEstimator(EstimatorKind.Posterior, result.Value.Flow, options, result.Value.Report))
            : result.Error;
    }

    /// <summary>
    /// Score-augmented NPE: loss = −mean log q(θ|x) + λ·mean‖∇θ log q(θ|x) − s‖², with s [n, Dθ] the joint score
    /// ∇θ log p(θ, z, x) of each simulation. Only <see cref="FlowKind.SmoothCoupling"/> flows with smooth activations
    /// are accepted (an error value otherwise).
    /// </summary>
    public static SbiResult<TrainedEstimator> TrainWithScore(Tensor theta, Tensor x, Tensor score, double scoreWeight,
        FlowArchitecture architecture, TrainingOptions options, IProgress<TrainingProgress>? progress = null)
    {
        var result = ConditionalDensityTrainer.Train(theta, x, score, scoreWeight, architecture, options, progress);
        return result.IsSuccess
            ? SbiResult<TrainedEstimator>.Success(new TrainedEstimator(EstimatorKind.Posterior, result.Value.Flow, options, result.Value.Report, scoreWeight))
            : result.Error;
    }
}
