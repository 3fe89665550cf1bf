namespace Ppl.Runtime.Flows;

/// <summary>The family of bijective layers a conditional flow stacks.</summary>
public enum FlowKind
{
    /// <summary>RealNVP affine coupling (Dinh et al. 2017).</summary>
    AffineCoupling,
    /// <summary>Masked autoregressive flow with MADE conditioners and affine transforms (Papamakarios et al. 2017).</summary>
    MaskedAutoregressive,
    /// <summary>Rational-quadratic spline coupling with linear tails (Durkan et al. 2019).</summary>
    RationalQuadraticSpline,
    /// <summary>Coupling with a smooth monotone sigmoid-mixture bijection whose log-density has smooth gradients;
    /// inverted by bisection. The only kind allowed for score-augmented training.</summary>
    SmoothCoupling,
}

/// <summary>How features are reordered between two flow layers.</summary>
public enum PermutationKind
{
    /// <summary>Reverse the feature order (alternates the two halves of coupling layers).</summary>
    Reverse,
    /// <summary>A fixed random permutation per layer, drawn from the flow's seed.</summary>
    Random,
}

/// <summary>Hidden-layer nonlinearity of conditioner and embedding networks.</summary>
public enum ActivationKind
{
    Relu,
    /// <summary>x·sigmoid(x); smooth, so log-density gradients are smooth (needed for score matching).</summary>
    Silu,
    Tanh,
    Elu,
}

/// <summary>The network that turns the (standardised) context into the features the conditioners see.</summary>
public enum EmbeddingKind
{
    /// <summary>The flattened context itself.</summary>
    Identity,
    /// <summary>A multilayer perceptron on the flattened context.</summary>
    Mlp,
    /// <summary>A 1-D convolutional network for time series of shape [T, channels].</summary>
    Conv1d,
}

/// <summary>Architecture of a context embedding network, trained jointly with the flow.</summary>
public sealed record EmbeddingArchitecture
{
    public EmbeddingKind Kind { get; init; } = EmbeddingKind.Identity;

    /// <summary>Number of output features (ignored by <see cref="EmbeddingKind.Identity"/>).</summary>
    public int OutputDimension { get; init; } = 8;

    /// <summary>Width of the hidden layers of an MLP embedding, or of the dense layer after the convolutions.</summary>
    public int HiddenUnits { get; init; } = 64;

    /// <summary>Number of hidden layers of an MLP embedding.</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Channels of each convolution of a Conv1d embedding (one entry per convolution).</summary>
    public int[] ConvolutionChannels { get; init; } = [16, 32];

    /// <summary>Kernel size of the convolutions (odd, 'same' padding).</summary>
    public int KernelSize { get; init; } = 3;

    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    /// <summary>No embedding: the conditioners see the flattened standardised context.</summary>
    public static EmbeddingArchitecture Identity { get; } = new();
}

/// <summary>
/// Everything needed to rebuild a conditional flow's modules (the weights and the standardisation statistics
/// are stored separately). <see cref="Dimension"/> and <see cref="ContextShape"/> describe the data; the
/// trainers fill them in from the training tensors.
/// </summary>
public sealed record FlowArchitecture
{
    public FlowKind Kind { get; init; } = FlowKind.RationalQuadraticSpline;

    /// <summary>Number of target features d (the flow models vectors of shape [d]).</summary>
    public int Dimension { get; init; }

    /// <summary>Event shape of one context: [] for no context, [c] for vectors, [T, channels] for series.</summary>
    public long[] ContextShape { get; init; } = [];

    /// <summary>Number of bijective layers (each followed by a permutation except the last).</summary>
    public int Layers { get; init; } = 5;

    /// <summary>Width of every hidden layer of the conditioner networks.</summary>
    public int HiddenUnits { get; init; } = 50;

    /// <summary>Number of hidden layers of the conditioner networks.</summary>
    public int HiddenLayers { get; init; } = 2;

    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    public PermutationKind Permutation { get; init; } = PermutationKind.Reverse;

    /// <summary>Number of bins of rational-quadratic splines.</summary>
    public int Bins { get; init; } = 8;

    /// <summary>Splines act on [-B, B] and are the identity (linear tails) outside.</summary>
    public double TailBound { get; init; } = 3.0;

    /// <summary>Number of sigmoid components of the smooth coupling's bijection.</summary>
    public int MixtureComponents { get; init; } = 8;

    public EmbeddingArchitecture Embedding { get; init; } = EmbeddingArchitecture.Identity;

    /// <summary>Number of elements of one context (the product of <see cref="ContextShape"/>; 0 without context).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long ContextElements => ContextShape.Length == 0 ? 0 : ContextShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>A default architecture of the given kind; smooth flows default to SiLU conditioners.</summary>
    public static FlowArchitecture Of(FlowKind kind) => new()
    {
        Kind = kind,
        Activation = kind == FlowKind.SmoothCoupling ? ActivationKind.Silu : ActivationKind.Relu,
    };
}
