namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// Nesterov dual averaging of log ε toward a target acceptance statistic δ (Hoffman and Gelman 2014, as in Stan's
/// <c>stepsize_adaptation</c>): after iteration t with statistic α,
/// s̄ ← (1 − η) s̄ + η (δ − α) with η = 1/(t + t0); x = μ − s̄ √t / γ; x̄ ← (1 − t^{−κ}) x̄ + t^{−κ} x.
/// The step size during warm-up is e^x; the adapted step size at its end is e^{x̄}.
/// </summary>
/// <param name="Mu">The shrinkage point μ, usually log(10 ε₀).</param>
/// <param name="Delta">The target acceptance statistic δ.</param>
/// <param name="Gamma">The regularisation scale γ (Stan: 0.05).</param>
/// <param name="Kappa">The relaxation exponent κ (Stan: 0.75).</param>
/// <param name="T0">The iteration offset t0 (Stan: 10).</param>
/// <param name="Counter">Iterations seen since the last restart.</param>
/// <param name="SBar">The running average of δ − α.</param>
/// <param name="X">The current log step size.</param>
/// <param name="XBar">The averaged log step size.</param>
public sealed record DualAveraging(double Mu, double Delta, double Gamma, double Kappa, double T0, int Counter, double SBar, double X, double XBar)
{
    /// <summary>A fresh averager shrinking toward log(10 ε₀).</summary>
    public static DualAveraging Start(double initialStepSize, double delta, double gamma = 0.05, double kappa = 0.75, double t0 = 10) =>
        new(Math.Log(10 * initialStepSize), delta, gamma, kappa, t0, 0, 0, 0, 0);

    /// <summary>The step size to use next: e^x.</summary>
    public double StepSize => Math.Exp(X);

    /// <summary>The adapted step size: e^{x̄}.</summary>
    public double FinalStepSize => Math.Exp(XBar);

    /// <summary>Learns from one iteration's acceptance statistic (values above 1 count as 1; NaN as 0).</summary>
    public DualAveraging Update(double acceptStat)
    {
        double alpha = double.IsNaN(acceptStat) ? 0 : Math.Min(acceptStat, 1.0);
        int t = Counter + 1;
        double eta = 1.0 / (t + T0);
        double sBar = (1.0 - eta) * SBar + eta * (Delta - alpha);
        double x = Mu - sBar * Math.Sqrt(t) / Gamma;
        double xEta = Math.Pow(t, -Kappa);
        double xBar = (1.0 - xEta) * XBar + xEta * x;
        return this with { Counter = t, SBar = sBar, X = x, XBar = xBar };
    }

    /// <summary>Restarts the averaging around log(10 ε), as Stan does after each metric update.</summary>
    public DualAveraging Restart(double stepSize) => this with { Mu = Math.Log(10 * stepSize), Counter = 0, SBar = 0, X = 0, XBar = 0 };
}
