using Ppl.Runtime.Abstractions;

namespace Ppl.Runtime.Models;

/// <summary>A problem with a model's inputs or a failure while running it, located in the model source where possible.
/// Codes: PPL04xx data and values, PPL05xx files and options, PPL09xx internal errors.</summary>
public sealed record ModelError(string Code, string Message, SourceLocation Location, string? Hint = null, bool IsWarning = false)
{
    public override string ToString() =>
        (Location.Line > 0 ? $"{Location}: " : "") + (IsWarning ? "warning " : "error ") + $"{Code}: {Message}"
        + string.Concat(Location.CallChain.Select(c => $" (called from {c})"));
}

/// <summary>Thrown only to leave a model run that failed in a way already described by <see cref="Error"/>;
/// callers at the API boundary catch it and return the error as a value.</summary>
public sealed class ModelRunException(ModelError error, Exception? inner = null) : Exception(error.Message, inner)
{
    public ModelError Error { get; } = error;
}
