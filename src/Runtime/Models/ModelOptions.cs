using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>How a model is instantiated: the floating type of `real` values and the device tensors live on.</summary>
public sealed record ModelOptions
{
    public ScalarType RealType { get; init; } = ScalarType.Float32;

    public Device Device { get; init; } = CPU;

    public static ModelOptions Float64 => new() { RealType = ScalarType.Float64 };
}

/// <summary>A bound model, or the errors that prevented binding (warnings may accompany either).</summary>
public sealed record ModelBinding(Model? Model, IReadOnlyList<ModelError> Errors)
{
    public bool Succeeded => Model is not null;
}
