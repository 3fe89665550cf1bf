using System.Runtime.InteropServices;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Models;

namespace Ppl.Inference.Tests;

public class TransientNativeFailureTests
{
    [Fact]
    public void ANativeFailureIsRepeatedOnceAndOnlyOnce()
    {
        int calls = 0, retries = 0;
        int value = TransientNativeFailure.RetryOnce(() => ++calls == 1 ? throw new ExternalException("alpha") : 42, () => retries++);
        Assert.Equal(42, value);
        Assert.Equal(2, calls);
        Assert.Equal(1, retries);

        // The model's report of a failed tensor operation counts too; a second failure is real and propagates.
        calls = 0;
        var wrapped = new ModelRunException(new ModelError("PPL0490", "failed", SourceLocation.None), new ExternalException("toFloat"));
        Assert.Throws<ModelRunException>(() => TransientNativeFailure.RetryOnce<int>(() => { calls++; throw wrapped; }));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void OtherFailuresAreNotRepeated()
    {
        int calls = 0;
        Assert.Throws<InvalidOperationException>(() => TransientNativeFailure.RetryOnce<int>(() => { calls++; throw new InvalidOperationException(); }));
        Assert.Equal(1, calls);
        var located = new ModelRunException(new ModelError("PPL0408", "no value", SourceLocation.None));
        calls = 0;
        Assert.Throws<ModelRunException>(() => TransientNativeFailure.RetryOnce<int>(() => { calls++; throw located; }));
        Assert.Equal(1, calls);
    }
}
