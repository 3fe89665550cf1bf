using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Bijectors;

/// <summary>Placeholder registry (identity and exp only) until the full bijector set lands.</summary>
public static class Bijector
{
    public static IBijector For(Support support) => support.Kind switch
    {
        SupportKind.Positive => new ExpPlaceholder(),
        _ => new IdentityPlaceholder(),
    };

    private sealed class IdentityPlaceholder : IBijector
    {
        public Tensor Forward(Tensor u) => u;
        public Tensor Inverse(Tensor x) => x;
        public Tensor LogAbsDetJacobian(Tensor u, Tensor x) => zeros_like(u);
    }

    private sealed class ExpPlaceholder : IBijector
    {
        public Tensor Forward(Tensor u) => u.exp();
        public Tensor Inverse(Tensor x) => x.log();
        public Tensor LogAbsDetJacobian(Tensor u, Tensor x) => u;
    }
}
