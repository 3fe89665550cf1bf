namespace Ppl.Runtime.Sbi;

/// <summary>
/// A problem with the user's data, settings or files found by training or bundle I/O, as a value.
/// Codes: SBI1xx training data and settings, SBI2xx estimator bundles.
/// </summary>
public sealed record SbiError(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";

    /// <summary>Score-augmented training was asked of a flow kind whose log-density gradient is not smooth.</summary>
    public const string ScoreNeedsSmoothFlow = "SBI101";
    /// <summary>The training tensors disagree in row count or shape.</summary>
    public const string ShapeMismatch = "SBI102";
    /// <summary>Too few finite rows remain to train (and validate).</summary>
    public const string TooFewRows = "SBI103";
    /// <summary>A training option is out of range.</summary>
    public const string InvalidOption = "SBI104";
    /// <summary>The loss became NaN or infinite during training.</summary>
    public const string Diverged = "SBI105";
    /// <summary>An observation (or the simulations' observed values) is missing or does not fit the estimator's x layout.</summary>
    public const string ObservationMismatch = "SBI106";
    /// <summary>The model's params or observed sites no longer match what the estimator was trained on.</summary>
    public const string ModelLayoutMismatch = "SBI107";
    /// <summary>A simulation archive lacks a site that training needs, or its arrays disagree in length.</summary>
    public const string SimulationsIncomplete = "SBI108";
    /// <summary>Sampling the posterior failed (e.g. no finite starting point for MCMC).</summary>
    public const string PosteriorSamplingFailed = "SBI109";
    /// <summary>A compressor does not fit the model, its site, or the maps it is given (shape, NaN values).</summary>
    public const string CompressorMismatch = "SBI110";
    /// <summary>The observation given to `ppl posterior` holds NaN or infinite values.</summary>
    public const string ObservationNotFinite = "SBI112";
    /// <summary>The observation lies farther from the training simulations than any of them (a warning).</summary>
    public const string ObservationOutsideTraining = "SBI113";
    /// <summary>The bundle file cannot be read or written.</summary>
    public const string BundleIo = "SBI201";
    /// <summary>The bundle is not a valid .pplz file (missing entries, bad manifest, corrupted weights).</summary>
    public const string BundleInvalid = "SBI202";
    /// <summary>The bundle was trained for another model than the one supplied.</summary>
    public const string ModelHashMismatch = "SBI203";
    /// <summary>The bundle was written by a newer, unknown format version.</summary>
    public const string BundleVersion = "SBI204";
}
