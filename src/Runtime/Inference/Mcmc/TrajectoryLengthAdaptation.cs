namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// The trajectory-length adaptation of ChEES-HMC (Hoffman, Radul and Sountsov 2021): gradient ascent of the ChEES
/// criterion in log T with Adam without momentum (β₁ = 0): v ← β₂ v + (1 − β₂) g², log T ← log T + α g / (√(v / (1 − β₂ᵗ)) + 10⁻⁸),
/// each step clipped to ±0.35 (about half of log 2) so one noisy estimate cannot more than halve or double T. The length
/// used after warm-up is exp of the mean of log T over the iterations since <see cref="RestartAverage"/>.
/// </summary>
/// <param name="LogLength">The current log T.</param>
/// <param name="SecondMoment">Adam's running mean of squared gradients v.</param>
/// <param name="Steps">Updates made (t).</param>
/// <param name="LearningRate">Adam's α.</param>
/// <param name="Beta2">Adam's β₂.</param>
/// <param name="SumLogLength">The sum of log T over the averaged iterations.</param>
/// <param name="Averaged">The number of averaged iterations.</param>
public sealed record TrajectoryLengthAdaptation(double LogLength, double SecondMoment, int Steps, double LearningRate, double Beta2,
    double SumLogLength, int Averaged)
{
    /// <summary>The largest change of log T in one update.</summary>
    public const double MaxLogUpdate = 0.35;

    /// <summary>A fresh adaptation at length <paramref name="length"/>.</summary>
    public static TrajectoryLengthAdaptation Start(double length, double learningRate, double beta2 = 0.95) =>
        new(Math.Log(length), 0, 0, learningRate, beta2, 0, 0);

    /// <summary>The current trajectory length T.</summary>
    public double Length => Math.Exp(LogLength);

    /// <summary>The averaged length exp(mean log T) (the current one when nothing has been averaged yet).</summary>
    public double AveragedLength => Averaged == 0 ? Length : Math.Exp(SumLogLength / Averaged);

    /// <summary>One ascent step along the estimated derivative of the criterion with respect to log T; a non-finite
    /// estimate (no accepted proposal) leaves T unchanged.</summary>
    public TrajectoryLengthAdaptation Update(double gradient)
    {
        if (!double.IsFinite(gradient)) return this;
        int t = Steps + 1;
        double v = Beta2 * SecondMoment + (1 - Beta2) * gradient * gradient;
        double vHat = v / (1 - Math.Pow(Beta2, t));
        double step = Math.Clamp(LearningRate * gradient / (Math.Sqrt(vHat) + 1e-8), -MaxLogUpdate, MaxLogUpdate);
        return this with { LogLength = LogLength + step, SecondMoment = v, Steps = t };
    }

    /// <summary>T limited to [<paramref name="min"/>, <paramref name="max"/>] (one step, the leapfrog cap).</summary>
    public TrajectoryLengthAdaptation Clamp(double min, double max) =>
        this with { LogLength = Math.Clamp(LogLength, Math.Log(min), Math.Log(Math.Max(min, max))) };

    /// <summary>Adds the current log T to the average.</summary>
    public TrajectoryLengthAdaptation Accumulate() => this with { SumLogLength = SumLogLength + LogLength, Averaged = Averaged + 1 };

    /// <summary>Starts the average afresh (when the metric stops changing).</summary>
    public TrajectoryLengthAdaptation RestartAverage() => this with { SumLogLength = 0, Averaged = 0 };
}
