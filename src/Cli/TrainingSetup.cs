using Ppl.Compiler;
using Ppl.Runtime.Compression;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;

namespace Ppl.Cli;

/// <summary>
/// What `ppl train` was asked to do, checked and loaded: the compiled and bound model, the layout of x, the method, the
/// flow and its training settings, λ of score-augmented NPE (0 without the score), the compressor whose summaries
/// replace x (or null), the seed, the simulation chunk and the output bundle. Shared by the in-memory path
/// (<c>TrainCommand</c>) and the streamed one (<see cref="StreamedTraining"/>).
/// </summary>
public sealed record TrainingSetup(
    CommandLine Line,
    Compilation Compilation,
    IReadOnlyDictionary<string, DataInput> Data,
    Model Model,
    ObservationLayout Layout,
    EstimationMethod Method,
    FlowArchitecture Architecture,
    TrainingOptions Training,
    double ScoreWeight,
    TrainedCompressor? Compressor,
    ulong Seed,
    long Chunk,
    string Output,
    string? OutputDir)
{
    /// <summary>Whether the joint score is simulated and fitted (score-augmented NPE).</summary>
    public bool UsesScore => ScoreWeight > 0;

    /// <summary>The model file as given on the command line.</summary>
    public string ModelFile => Line.Positional[0];
}

/// <summary>Where the simulations a `ppl train` run trained on came from, as its bundle records and its report says.</summary>
/// <param name="Count">The simulations (all of them, training, validation and dropped).</param>
/// <param name="Seed">The seed they were simulated with.</param>
/// <param name="Source">"model" for simulations drawn while training, else the full path of the archive or shard folder.</param>
/// <param name="Description">How the report describes them ("drawn with seed 1", "sims.npz", "… streamed from 4 shards …").</param>
public sealed record TrainingSimulationSource(long Count, ulong Seed, string Source, string Description);
