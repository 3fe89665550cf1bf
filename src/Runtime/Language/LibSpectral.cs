using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    public static Tensor Fft(Ev x) => fft.fft_(Complexify(Transformable(x.Value, 1, "fft")), dim: -1);

    public static Tensor Ifft(Ev x) => fft.ifft(Complexify(Transformable(x.Value, 1, "ifft")), dim: -1);

    public static Tensor Fft2(Ev x) => fft.fft2(Complexify(Transformable(x.Value, 2, "fft2")));

    public static Tensor Ifft2(Ev x) => fft.ifft2(Complexify(Transformable(x.Value, 2, "ifft2")));

    /// <summary>The value, when its last <paramref name="axes"/> axes (the transformed ones) are not empty; a size 0 there
    /// (from a size given by the data) is the error PPL0409 at the statement, not libtorch's "invalid number of data points".</summary>
    private static Tensor Transformable(Tensor x, int axes, string what)
    {
        for (int a = 1; a <= axes && a <= x.dim(); a++)
            if (x.shape[^a] == 0)
                throw new SizeLimitException(DiagnosticCatalogue.ValueOutOfRange, $"{what}: the transformed axes must not be empty, but the shape is [{string.Join(", ", x.shape)}]");
        return x;
    }

    private static Tensor Complexify(Tensor x) => x.is_complex() ? x : x.is_floating_point() ? x : x.to_type(ScalarType.Float32);
}
