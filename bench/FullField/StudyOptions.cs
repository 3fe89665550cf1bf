using System.Globalization;

namespace Ppl.Bench.FullField;

/// <summary>The settings of `--study`: configuration, seeds and every budget, each an option so that the study can be
/// run tiny. Defaults are the full study of issue 9 at the CPU configuration (N = 64 over 5°).</summary>
internal sealed record StudyOptions(
    string Output, string Ppl, string Threads, int N, double SideDeg, string ObservationSeed, string? Reference,
    int ReferenceChains, int ReferenceWarmup, int ReferenceDraws,
    int ClChains, int ClWarmup, int ClDraws,
    IReadOnlyList<string> Losses, IReadOnlyList<int> Budgets, IReadOnlyList<string> Methods,
    string SimulationSeed, string? CompressEpochs, string? TrainEpochs, string Flow, int PosteriorDraws, int CompareRows, string? Bands)
{
    public int LargestBudget => Budgets.Max();

    public string[] Configuration => new[]
    {
        "--set", $"N={N.ToString(CultureInfo.InvariantCulture)}", "--set", $"side_deg={SideDeg.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>The ℓ bands of the two-point spectra (`--nbands`; the models' default 12 when not given), set alike in
    /// lensing_map_spectra.ppl and lognormal_lensing_cl.ppl. Small maps need fewer: at N = 16 some of 12 log-spaced
    /// bands hold no Fourier mode and the Gaussian covariance is singular.</summary>
    public string[] TwoPointBands => Bands is { } b ? new[] { "--set", $"nbands={b}" } : Array.Empty<string>();

    public static StudyOptions Parse(IReadOnlyList<string> own, string defaultPpl)
    {
        string Get(string name, string fallback) => own.ToList().IndexOf(name) is int i and >= 0 && i + 1 < own.Count ? own[i + 1] : fallback;
        string? Maybe(string name) => own.ToList().IndexOf(name) is int i and >= 0 && i + 1 < own.Count ? own[i + 1] : null;
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        IReadOnlyList<string> List(string name, string fallback) => Get(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new StudyOptions(
            Output: Path.GetFullPath(Get("--out", Path.Combine(Path.GetTempPath(), "ppl-fullfield-study"))),
            Ppl: Get("--ppl", defaultPpl),
            Threads: Get("--threads", "1"),
            N: Int("--N", 64),
            SideDeg: double.Parse(Get("--side", "5"), CultureInfo.InvariantCulture),
            ObservationSeed: Get("--obs-seed", "42"),
            Reference: Maybe("--reference") is { } r ? Path.GetFullPath(r) : null,
            ReferenceChains: Int("--ref-chains", 4), ReferenceWarmup: Int("--ref-warmup", 500), ReferenceDraws: Int("--ref-draws", 1000),
            ClChains: Int("--cl-chains", 4), ClWarmup: Int("--cl-warmup", 500), ClDraws: Int("--cl-draws", 1000),
            Losses: List("--losses", "mse,mae,gnll,vmim"),
            Budgets: List("--budgets", "1000,2000,5000,10000").Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToList(),
            Methods: List("--methods", "nle,npe"),
            SimulationSeed: Get("--sims-seed", "7"),
            CompressEpochs: Maybe("--compress-epochs"),
            TrainEpochs: Maybe("--train-epochs"),
            Flow: Get("--flow", "affine"),
            PosteriorDraws: Int("--posterior-draws", 4000),
            CompareRows: Int("--compare-rows", 4000),
            Bands: Maybe("--nbands"));
    }
}
