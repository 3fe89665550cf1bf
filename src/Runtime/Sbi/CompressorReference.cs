namespace Ppl.Runtime.Sbi;

/// <summary>
/// The compressor an estimator was trained on the summaries of (recorded in the estimator's bundle): its file (absolute,
/// and relative to the estimator's bundle), the file's SHA-256 (a retrained compressor is refused), the observed site it
/// reads and the number of summaries. At posterior time the observation is compressed by this same file.
/// </summary>
public sealed record CompressorReference(string Path, string? PathFromBundle, string Sha256, string Site, int Summaries);
