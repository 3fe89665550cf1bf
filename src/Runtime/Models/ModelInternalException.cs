using Ppl.Runtime.Abstractions;

namespace Ppl.Runtime.Models;

/// <summary>
/// A model run failed in a way that is not a domain failure (<see cref="ModelFailures.IsDomainFailure"/>): a bug in
/// the emitter or the runtime. It carries the model statement that was running so that the internal error (exit 3)
/// says where; it is never absorbed into the posterior as a divergence.
/// </summary>
public sealed class ModelInternalException(SourceLocation location, Exception inner)
    : Exception($"{inner.GetType().Name}: {DataBinder.FirstLine(inner.Message)}", inner)
{
    /// <summary>The model statement being evaluated when the failure happened.</summary>
    public SourceLocation Location { get; } = location;
}
