using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>Maps a standardised context [n, ...ContextShape] to features [n, OutputDimension] for the conditioners.</summary>
public abstract class ContextEmbedding : nn.Module
{
    protected ContextEmbedding(string name) : base(name) { }

    /// <summary>Number of features produced per context.</summary>
    public abstract long OutputDimension { get; }

    public abstract Tensor Forward(Tensor context);

    /// <summary>Builds the embedding described by <paramref name="architecture"/> for contexts of shape <paramref name="contextShape"/>.</summary>
    public static ContextEmbedding Create(EmbeddingArchitecture architecture, long[] contextShape, SeededInitializer initializer)
    {
        long elements = (new FlowArchitecture { ContextShape = contextShape }).ContextElements;
        return architecture.Kind switch
        {
            EmbeddingKind.Identity => new IdentityEmbedding(elements),
            EmbeddingKind.Mlp => new MlpEmbedding(elements, architecture, initializer),
            EmbeddingKind.Conv1d => new Conv1dEmbedding(contextShape, architecture, initializer),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Kind, null),
        };
    }
}

/// <summary>The flattened context itself (an [n, 0] tensor when the flow has no context).</summary>
public sealed class IdentityEmbedding : ContextEmbedding
{
    private readonly long _elements;

    public IdentityEmbedding(long elements) : base(nameof(IdentityEmbedding))
    {
        _elements = elements;
        RegisterComponents();
    }

    public override long OutputDimension => _elements;

    public override Tensor Forward(Tensor context) => context.reshape(context.shape[0], _elements);
}

/// <summary>A multilayer perceptron on the flattened context.</summary>
public sealed class MlpEmbedding : ContextEmbedding
{
    private readonly MultilayerPerceptron network;
    private readonly long _elements;

    public MlpEmbedding(long elements, EmbeddingArchitecture architecture, SeededInitializer initializer) : base(nameof(MlpEmbedding))
    {
        _elements = elements;
        OutputDimension = architecture.OutputDimension;
        network = new MultilayerPerceptron(elements, architecture.HiddenUnits, architecture.HiddenLayers,
            architecture.OutputDimension, architecture.Activation, initializer, zeroOutput: false);
        RegisterComponents();
    }

    public override long OutputDimension { get; }

    public override Tensor Forward(Tensor context) => network.Forward(context.reshape(context.shape[0], _elements));
}
