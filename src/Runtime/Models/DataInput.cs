using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>A value supplied for a `data` declaration, an observed site, or a conditioned param/latent: a CPU tensor
/// (float64, int64 or bool) and where it came from, for messages ("--set N=64", "obs.json", "z.npy").</summary>
public sealed record DataInput(Tensor Value, string Origin)
{
    public static DataInput Scalar(double value, string origin) => new(tensor(value, ScalarType.Float64), origin);

    public static DataInput Scalar(long value, string origin) => new(tensor(value, ScalarType.Int64), origin);

    public long[] Shape => Value.shape;

    public bool IsInteger => Value.dtype is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte;

    public bool IsBool => Value.dtype == ScalarType.Bool;
}
