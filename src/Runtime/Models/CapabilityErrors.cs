using Ppl.Runtime.Abstractions;

namespace Ppl.Runtime.Models;

/// <summary>
/// The errors of a model asked for a capability it lacks (docs/language-diagnostics.md, PPL0301–0303), produced here
/// only: the runtime's refusals (unlocated; the model's description states the reason) and the wording of the compiler's
/// located refusals (<c>CapabilityRefusals</c>), so that `ppl sample` and the API say the same thing.
/// </summary>
public static class CapabilityErrors
{
    /// <summary>"model M has no log density: REASON" (PPL0301).</summary>
    public static string NoLogDensityMessage(string model, string reason) => $"model {model} has no log density: {reason}";

    /// <summary>"model M cannot be simulated: REASON" (PPL0303).</summary>
    public static string CannotSimulateMessage(string model, string reason) => $"model {model} cannot be simulated: {reason}";

    /// <summary>"model M has no simulator score: REASON" (PPL0302).</summary>
    public static string NoSimulatorScoreMessage(string model, string reason) => $"model {model} has no simulator score: {reason}";

    public static ModelError NoLogDensity(ModelDescription model) =>
        new(DiagnosticCatalogue.NoLogDensity, NoLogDensityMessage(model.Name, model.Capabilities.ExplicitReason), SourceLocation.None);

    /// <summary>A model with nothing to sample: its log density is a constant of no param or latent (PPL0301).</summary>
    public static ModelError NothingToSample(ModelDescription model) =>
        new(DiagnosticCatalogue.NoLogDensity, $"model {model.Name} has no param or latent to sample", SourceLocation.None);

    /// <summary>A deterministic observation (<c>observe y = …</c>) reached while scoring, located at its declaration (PPL0301).</summary>
    public static ModelError DeterministicObservation(string site, SourceLocation location) =>
        new(DiagnosticCatalogue.NoLogDensity, $"observed '{site}' is deterministic (=), so the model has no log density", location);

    public static ModelError CannotSimulate(ModelDescription model) =>
        new(DiagnosticCatalogue.CannotSimulate, CannotSimulateMessage(model.Name, model.Capabilities.ImplicitReason), SourceLocation.None);

    public static ModelError NoSimulatorScore(ModelDescription model) =>
        new(DiagnosticCatalogue.NoSimulatorScore, NoSimulatorScoreMessage(model.Name, model.Capabilities.ScoreReason), SourceLocation.None);
}
