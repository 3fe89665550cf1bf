using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>
/// A coupling layer: the first ⌊d/2⌋ features pass unchanged and, together with the context, parameterise an
/// elementwise monotone bijection of the remaining features. With d = 1 nothing passes unchanged and the
/// bijection of the single feature is parameterised by the context alone (a constant when there is no context).
/// Subclasses supply the elementwise bijection.
/// </summary>
public abstract class CouplingTransform : FlowTransform
{
    private readonly MultilayerPerceptron conditioner;

    protected CouplingTransform(string name, FlowArchitecture architecture, long contextFeatures, int parametersPerFeature,
        SeededInitializer initializer) : base(name)
    {
        Dimension = architecture.Dimension;
        IdentityFeatures = Dimension / 2;
        TransformedFeatures = Dimension - IdentityFeatures;
        ParametersPerFeature = parametersPerFeature;
        conditioner = new MultilayerPerceptron(IdentityFeatures + contextFeatures, architecture.HiddenUnits,
            architecture.HiddenLayers, TransformedFeatures * parametersPerFeature, architecture.Activation, initializer,
            zeroOutput: true);
        // Registered by name here: reflection in RegisterComponents does not see a base class's private fields.
        register_module("conditioner", conditioner);
    }

    public int Dimension { get; }

    public int IdentityFeatures { get; }

    public int TransformedFeatures { get; }

    public int ParametersPerFeature { get; }

    /// <summary>The elementwise bijection y = f(x; p) for x [n, m], p [n, m, P], with log|f'(x)| elementwise [n, m].</summary>
    protected abstract (Tensor Output, Tensor LogDerivative) ForwardElementwise(Tensor x, Tensor parameters);

    /// <summary>The inverse x = f⁻¹(y; p) of <see cref="ForwardElementwise"/>.</summary>
    protected abstract Tensor InverseElementwise(Tensor y, Tensor parameters);

    public override (Tensor Output, Tensor LogAbsDet) Forward(Tensor x, Tensor context)
    {
        var (kept, changed) = Split(x);
        var parameters = Parameters(kept, context);
        var (y, logDerivative) = ForwardElementwise(changed, parameters);
        return (cat([kept, y], 1), logDerivative.sum(1));
    }

    public override Tensor Inverse(Tensor u, Tensor context)
    {
        var (kept, changed) = Split(u);
        var parameters = Parameters(kept, context);
        return cat([kept, InverseElementwise(changed, parameters)], 1);
    }

    private (Tensor Kept, Tensor Changed) Split(Tensor x) =>
        (x.narrow(1, 0, IdentityFeatures), x.narrow(1, IdentityFeatures, TransformedFeatures));

    private Tensor Parameters(Tensor kept, Tensor context)
    {
        var input = context.shape[1] == 0 ? kept : cat([kept, context], 1);
        return conditioner.Forward(input).view(kept.shape[0], TransformedFeatures, ParametersPerFeature);
    }
}
