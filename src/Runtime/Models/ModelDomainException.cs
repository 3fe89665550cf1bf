namespace Ppl.Runtime.Models;

/// <summary>
/// Thrown by the runtime library when a model's values leave the domain of an operation at this point of the
/// parameter space (an ODE solution that became NaN, an adaptive solver that needs too many steps). It is a property
/// of the proposal, not a bug: the log density rejects the point (a divergence), a simulation reports PPL0490.
/// Any other exception from a model run is a bug and stops the run (<see cref="ModelInternalException"/>).
/// </summary>
public sealed class ModelDomainException(string message) : Exception(message);
