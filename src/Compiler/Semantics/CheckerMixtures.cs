using Ppl.Compiler.Lowering;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Distributions;

namespace Ppl.Compiler.Semantics;

/// <summary>
/// <c>Mixture(weights, [d1, ..., dK])</c> and <c>MixtureSameFamily(weights, d)</c>: the weights are real[..., K]; the
/// components are scalar distributions with the same kind of values (all real or all int). A Mixture's value has the
/// broadcast shape of the weights without their last axis and of every component; a MixtureSameFamily's component has
/// the K components on its last axis, which the value drops. As a prior (param or latent) every component must have
/// the same support kind, fixed (real, positive, (0, 1) or counts), so that one bijector serves them all.
/// </summary>
public sealed partial class Checker
{
    private IrDistribution? CheckMixture(Expr.Call call, DistributionSignature sig, string siteName, SiteRole role)
    {
        bool sameFamily = sig.Name == "MixtureSameFamily";
        var bound = ArgumentBinder.Bind(sig.Name, sig.Parameters.Select(p => new BindingParameter(p.Name, Optional: false)).ToList(), -1,
            sig.Summary, call.Args, call.Range, _diagnostics, (_, value) => value, stopAtFirstError: true);
        if (bound is not { } ok) return null;
        Expr weightsSyntax = ok.Slots[0]!, componentsSyntax = ok.Slots[1]!;

        var weights = CheckExpr(weightsSyntax);
        if (weights.Type is ErrorType) return null;
        if (weights.Type is not TensorType wt || !(wt.Elem.IsReal || wt.Elem.IsInt))
        {
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, weights.Range, $"{sig.Name}: 'weights' must be real, but '{Text(weights)}' is {weights.Type.Display}");
            return null;
        }
        if (wt.Rank < 1)
        {
            _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, weights.Range, $"{sig.Name}: 'weights' is a vector of one weight per component, but '{Text(weights)}' is {wt.Display}");
            return null;
        }

        List<IrDistribution> components;
        if (sameFamily)
        {
            if (componentsSyntax is not Expr.Call)
            {
                _diagnostics.Error(DiagnosticCatalogue.MalformedMixture, Syntax.exprRange(componentsSyntax),
                    "the component of MixtureSameFamily is one distribution whose arguments end in the axis of components, e.g. Normal(mu, sigma) with mu: real[K]");
                return null;
            }
            if (CheckDistribution(componentsSyntax, siteName, role, component: true) is not { } single) return null;
            components = [single];
        }
        else
        {
            if (componentsSyntax is not Expr.Vector list)
            {
                _diagnostics.Error(DiagnosticCatalogue.MalformedMixture, Syntax.exprRange(componentsSyntax),
                    "the components of a Mixture are a list of distributions, e.g. Mixture(w, [Normal(0, 1), Normal(3, 1)])");
                return null;
            }
            components = new List<IrDistribution>();
            foreach (var item in list.Items)
            {
                var c = CheckDistribution(item, siteName, role, component: true);
                if (c is null) return null;
                components.Add(c);
            }
        }

        foreach (var c in components)
        {
            if (c.Signature.EventRank != 0 || c.Rank < (sameFamily ? 1 : 0))
            {
                _diagnostics.Error(DiagnosticCatalogue.MalformedMixture, c.Range, sameFamily
                    ? $"the component of MixtureSameFamily must be a scalar distribution whose arguments end in the axis of components, but {Text(c)} has shape {ShapeText(((TensorType)c.Type).Shape)}"
                    : $"the components of a Mixture must be scalar distributions, but {c.Signature.Name} draws vectors");
                return null;
            }
            if (c.IsDiscrete != components[0].IsDiscrete)
            {
                _diagnostics.Error(DiagnosticCatalogue.MalformedMixture, c.Range,
                    $"the components of a Mixture must all give int values or all give real values, but {components[0].Signature.Name} and {c.Signature.Name} differ");
                return null;
            }
        }
        if (role != SiteRole.Observed)
        {
            var kinds = components.Select(c => c.Support().Kind).Distinct().ToList();
            bool fixedKind = kinds.Count == 1 && kinds[0] is SupportKind.Real or SupportKind.Positive or SupportKind.UnitInterval or SupportKind.NonNegativeInteger
                || components.All(c => c.IsDiscrete);
            if (!fixedKind)
            {
                _diagnostics.Error(DiagnosticCatalogue.MalformedMixture, call.Range,
                    $"a {sig.Name} prior for '{siteName}' needs components with one fixed support (real, positive, (0, 1) or counts), but they have {string.Join(", ", components.Select(c => c.Support().Kind.ToString().ToLowerInvariant()).Distinct())}",
                    "bounded components (Uniform, TruncatedNormal) each need their own transform; use them in an observe, or reparameterise");
                return null;
            }
        }

        // K: the number of components must match the weights' last axis.
        var deferred = new List<(Dim, Dim)>();
        var k = sameFamily ? ((TensorType)components[0].Type).Shape[components[0].Rank - 1] : Dim.Of(components.Count);
        var weightsK = wt.Shape[wt.Rank - 1];
        if (k.ProvablyDifferent(weightsK))
        {
            _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, weights.Range,
                $"{sig.Name}: '{Text(weights)}' has {weightsK} weights but there are {k} components");
            return null;
        }
        if (!k.Equals(weightsK))
            _model.DeferredChecks.Add(new DeferredDimCheck(weightsK, k, call.Range, $"{sig.Name}: the number of weights {weightsK} must equal the number of components {k}"));

        Shape? shape = wt.Shape.Take(wt.Rank - 1);
        foreach (var c in components)
        {
            var cs = ((TensorType)c.Type).Shape;
            var own = sameFamily ? cs.Take(cs.Rank - 1) : cs;
            shape = Broadcasting.Broadcast(shape!, own, deferred);
            if (shape is null)
            {
                _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, call.Range,
                    $"{sig.Name}: the weights '{Text(weights)}' ({wt.Display}) and the component {Text(c)} do not broadcast",
                    "the weights without their last axis and every component's shape must broadcast against each other");
                return null;
            }
        }
        foreach (var (l, r) in deferred)
            _model.DeferredChecks.Add(new DeferredDimCheck(l, r, call.Range, $"{sig.Name}: sizes {l} and {r} must be equal (or one must be 1)", AllowOne: true));

        var valueType = new TensorType(components[0].IsDiscrete ? ElemType.Int : ElemType.Real, shape!);
        var mixture = new IrDistribution(sig, [weights, null], valueType, call.Range) { Components = components };
        mixture.Batched = weights.Batched || components.Any(c => c.Batched);
        return mixture;
    }
}
