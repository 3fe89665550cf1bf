using static TorchSharp.torch;

namespace Ppl.Runtime.Tests;

public class NativeLibraryTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        // Loading fails on systems whose libstdc++ lacks GLIBCXX_3.4.32 unless the build's fix-up ran.
        using var a = tensor(new double[] { 1, 2, 3 });
        using var b = (a * a).sum();
        Assert.Equal(14.0, b.item<double>()); // exact: small integers, every partial sum representable
    }
}
