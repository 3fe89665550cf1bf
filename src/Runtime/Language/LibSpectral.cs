using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    public static Tensor Fft(Ev x) => fft.fft_(Complexify(x.Value), dim: -1);

    public static Tensor Ifft(Ev x) => fft.ifft(Complexify(x.Value), dim: -1);

    public static Tensor Fft2(Ev x) => fft.fft2(Complexify(x.Value));

    public static Tensor Ifft2(Ev x) => fft.ifft2(Complexify(x.Value));

    private static Tensor Complexify(Tensor x) => x.is_complex() ? x : x.is_floating_point() ? x : x.to_type(ScalarType.Float32);
}
