using Ppl.Runtime.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>
/// A conditional normalizing flow q(x | c) with a standard normal base: x is standardised, passed through
/// the layers (bijections alternating with permutations), and scored under N(0, I). The context is
/// standardised and embedded once per call and shared by every layer. Float32 by default; move it with
/// <c>to(device)</c> (and <c>to(ScalarType.Float64)</c> for precise checks).
/// </summary>
public sealed class ConditionalFlow : nn.Module
{
    private readonly Standardizer targetStandardizer;
    private readonly Standardizer contextStandardizer;
    private readonly ContextEmbedding embedding;
    private readonly ModuleList<FlowTransform> transforms = new();

    /// <summary>Builds a flow with weights drawn from <paramref name="seed"/>; the same seed gives the same flow.</summary>
    public ConditionalFlow(FlowArchitecture architecture, ulong seed) : base(nameof(ConditionalFlow))
    {
        if (architecture.Dimension < 1) throw new ArgumentException("A flow needs at least one target dimension.", nameof(architecture));
        if (architecture.Layers < 1 || architecture.HiddenLayers < 1 || architecture.HiddenUnits < 1)
            throw new ArgumentException("A flow needs at least one layer and one hidden layer of at least one unit.", nameof(architecture));
        if (architecture.Kind == FlowKind.RationalQuadraticSpline && architecture.Bins < 2)
            throw new ArgumentException("A spline needs at least two bins.", nameof(architecture));
        Architecture = architecture;
        Seed = seed;
        var initializer = new SeededInitializer(seed);
        targetStandardizer = new Standardizer([architecture.Dimension]);
        contextStandardizer = new Standardizer(architecture.ContextShape);
        embedding = ContextEmbedding.Create(architecture.Embedding, architecture.ContextShape, initializer);
        long features = embedding.OutputDimension;
        for (int layer = 0; layer < architecture.Layers; layer++)
        {
            transforms.Add(CreateLayer(architecture, features, initializer));
            if (layer < architecture.Layers - 1 && architecture.Dimension > 1)
            {
                transforms.Add(architecture.Permutation == PermutationKind.Reverse
                    ? PermutationTransform.Reverse(architecture.Dimension)
                    : PermutationTransform.Random(architecture.Dimension, unchecked((int)RandomStream.Mix32((uint)seed ^ (uint)layer))));
            }
        }
        RegisterComponents();
        DetachWeightsFromDisposeScope();
    }

    public FlowArchitecture Architecture { get; }

    /// <summary>Moves the flow to <paramref name="device"/>; the weights stay owned by the flow even when a
    /// dispose scope is open.</summary>
    public ConditionalFlow MoveTo(Device device)
    {
        this.to(device);
        DetachWeightsFromDisposeScope();
        return this;
    }

    /// <summary>Converts the weights and statistics to <paramref name="dtype"/> (float64 for precise checks).</summary>
    public ConditionalFlow ConvertTo(ScalarType dtype)
    {
        this.to(dtype);
        DetachWeightsFromDisposeScope();
        return this;
    }

    // A flow built or moved while a caller's dispose scope is open must not lose its weights when that scope ends.
    private void DetachWeightsFromDisposeScope()
    {
        foreach (var p in parameters()) p.DetachFromDisposeScope();
        foreach (var b in buffers()) b.DetachFromDisposeScope();
    }

    /// <summary>The seed the initial weights were drawn from.</summary>
    public ulong Seed { get; }

    public int Dimension => Architecture.Dimension;

    public bool HasContext => Architecture.ContextShape.Length > 0;

    /// <summary>Standardisation of the target (fitted with <see cref="FitStandardization"/>).</summary>
    public Standardizer TargetStandardizer => targetStandardizer;

    /// <summary>Standardisation of the context (fitted with <see cref="FitStandardization"/>).</summary>
    public Standardizer ContextStandardizer => contextStandardizer;

    /// <summary>The bijective layers from data to base, permutations included.</summary>
    public IReadOnlyList<FlowTransform> Layers => transforms.ToList();

    /// <summary>Fits both standardisations from training data: x [n, d], context [n, ...ContextShape].</summary>
    public void FitStandardization(Tensor x, Tensor? context)
    {
        targetStandardizer.Fit(x);
        if (HasContext && context is not null) contextStandardizer.Fit(context);
    }

    /// <summary>The embedded context [n, e] the layers see ([n, 0] for a flow without context).</summary>
    public Tensor EmbedContext(Tensor? context, long rows)
    {
        if (!HasContext) return zeros(rows, 0, dtype: targetStandardizer.Mean.dtype, device: targetStandardizer.Mean.device);
        if (context is null) throw new ArgumentNullException(nameof(context), "This flow is conditional: a context is required.");
        CheckContextShape(context);
        return embedding.Forward(contextStandardizer.Forward(context));
    }

    /// <summary>log q(x | c) for x [n, d] and context [n, ...ContextShape] (ignored, and may be null, without context); [n].</summary>
    public Tensor LogProb(Tensor x, Tensor? context)
    {
        var (u, logAbsDet) = ToBase(x, context);
        return TensorArithmetic.Add(StandardNormalLogProb(u), logAbsDet);
    }

    /// <summary>Maps x [n, d] to the base space, with log|det ∂u/∂x| per row (standardisation included).</summary>
    public (Tensor Base, Tensor LogAbsDet) ToBase(Tensor x, Tensor? context)
    {
        CheckTarget(x);
        var features = EmbedContext(context, x.shape[0]);
        if (features.shape[0] != x.shape[0])
            throw new ArgumentException($"x has {x.shape[0]} rows but the context has {features.shape[0]}.", nameof(context));
        return ToBaseEmbedded(x, features);
    }

    /// <summary>As <see cref="ToBase"/>, with the context already embedded ([n, e]).</summary>
    public (Tensor Base, Tensor LogAbsDet) ToBaseEmbedded(Tensor x, Tensor features)
    {
        var u = targetStandardizer.Forward(x);
        var logAbsDet = targetStandardizer.LogAbsDet().expand(x.shape[0]);
        foreach (var transform in transforms)
        {
            var (next, ld) = transform.Forward(u, features);
            u = next;
            logAbsDet = TensorArithmetic.Add(logAbsDet, ld);
        }
        return (u, logAbsDet);
    }

    /// <summary>Maps base values u [n, d] back to data space given contexts [n, ...ContextShape].</summary>
    public Tensor FromBase(Tensor u, Tensor? context)
    {
        CheckTarget(u);
        return FromBaseEmbedded(u, EmbedContext(context, u.shape[0]));
    }

    private Tensor FromBaseEmbedded(Tensor u, Tensor features)
    {
        var x = u;
        for (int i = transforms.Count - 1; i >= 0; i--) x = transforms[i].Inverse(x, features);
        return targetStandardizer.Inverse(x);
    }

    /// <summary>
    /// Draws <paramref name="numSamples"/> samples [numSamples, d]. With a context of one row, all samples share it;
    /// with <paramref name="numSamples"/> rows, sample i uses row i. The base noise comes from the counter-based
    /// stream of <paramref name="seed"/>, so results do not depend on other users of libtorch's generator.
    /// </summary>
    public Tensor Sample(long numSamples, Tensor? context, ulong seed)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = targetStandardizer.Mean.device;
        var dtype = targetStandardizer.Mean.dtype;
        var noise = new RandomStream(seed, RandomStream.SiteKey("flow.base"), 0, [numSamples, Dimension], dtype, device).StandardNormal();
        Tensor features;
        if (!HasContext) features = zeros(numSamples, 0, dtype: dtype, device: device);
        else
        {
            if (context is null) throw new ArgumentNullException(nameof(context), "This flow is conditional: a context is required.");
            if (context.shape[0] != 1 && context.shape[0] != numSamples)
                throw new ArgumentException($"The context must have 1 or {numSamples} rows, not {context.shape[0]}.", nameof(context));
            features = EmbedContext(context, context.shape[0]);
            if (features.shape[0] == 1) features = features.expand(numSamples, features.shape[1]);
        }
        return FromBaseEmbedded(noise, features).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∇ₓ log q(x | c) [n, d] by autograd. With <paramref name="createGraph"/> the result stays differentiable
    /// with respect to the flow's weights (for score-matching losses).
    /// </summary>
    public Tensor LogProbGradient(Tensor x, Tensor? context, bool createGraph = false)
    {
        using var enable = enable_grad();
        var input = x.detach().requires_grad_(true);
        var logProb = LogProb(input, context).sum();
        // TorchSharp does not default retain_graph to create_graph as PyTorch does: a loss built on the gradient
        // is differentiated again later, through this graph.
        var gradient = autograd.grad([logProb], [input], retain_graph: createGraph, create_graph: createGraph)[0];
        return createGraph ? gradient : gradient.detach();
    }

    /// <summary>log N(u; 0, I) per row.</summary>
    public static Tensor StandardNormalLogProb(Tensor u) =>
        TensorArithmetic.Sub(TensorArithmetic.Mul(-0.5, TensorArithmetic.Square(u).sum(1)), 0.5 * u.shape[1] * Math.Log(2 * Math.PI));

    private void CheckTarget(Tensor x)
    {
        if (x.dim() != 2 || x.shape[1] != Dimension)
            throw new ArgumentException($"Expected values of shape [n, {Dimension}], got [{string.Join(", ", x.shape)}].", nameof(x));
    }

    private void CheckContextShape(Tensor context)
    {
        var expected = Architecture.ContextShape;
        if (context.dim() != expected.Length + 1 || !context.shape.Skip(1).SequenceEqual(expected))
            throw new ArgumentException($"Expected contexts of shape [n, {string.Join(", ", expected)}], got [{string.Join(", ", context.shape)}].", nameof(context));
    }

    private static FlowTransform CreateLayer(FlowArchitecture architecture, long contextFeatures, SeededInitializer initializer) =>
        architecture.Kind switch
        {
            FlowKind.AffineCoupling => new AffineCouplingTransform(architecture, contextFeatures, initializer),
            FlowKind.MaskedAutoregressive => new MaskedAutoregressiveTransform(architecture, contextFeatures, initializer),
            FlowKind.RationalQuadraticSpline => new SplineCouplingTransform(architecture, contextFeatures, initializer),
            FlowKind.SmoothCoupling => new SmoothCouplingTransform(architecture, contextFeatures, initializer),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Kind, null),
        };
}
