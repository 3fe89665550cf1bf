using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>
/// A 1-D convolutional embedding for time series [n, T, channels]: convolutions with 'same' padding, each
/// followed by the activation and a max-pool of 2 (while the series is longer than 1), then a dense hidden
/// layer and a linear output.
/// </summary>
public sealed class Conv1dEmbedding : ContextEmbedding
{
    private readonly ModuleList<Conv1d> convolutions = new();
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly ActivationKind _activation;
    private readonly bool[] _pool;

    public Conv1dEmbedding(long[] contextShape, EmbeddingArchitecture architecture, SeededInitializer initializer)
        : base(nameof(Conv1dEmbedding))
    {
        if (contextShape.Length != 2)
            throw new ArgumentException($"A Conv1d embedding needs contexts of shape [T, channels], not [{string.Join(", ", contextShape)}].", nameof(contextShape));
        _activation = architecture.Activation;
        long length = contextShape[0], channels = contextShape[1];
        _pool = new bool[architecture.ConvolutionChannels.Length];
        for (int i = 0; i < architecture.ConvolutionChannels.Length; i++)
        {
            convolutions.Add(initializer.Conv1d(channels, architecture.ConvolutionChannels[i], architecture.KernelSize));
            channels = architecture.ConvolutionChannels[i];
            _pool[i] = length >= 2;
            if (_pool[i]) length /= 2;
        }
        hidden = initializer.Linear(channels * length, architecture.HiddenUnits);
        output = initializer.Linear(architecture.HiddenUnits, architecture.OutputDimension);
        OutputDimension = architecture.OutputDimension;
        RegisterComponents();
    }

    public override long OutputDimension { get; }

    public override Tensor Forward(Tensor context)
    {
        var h = context.transpose(1, 2); // [n, channels, T]
        for (int i = 0; i < convolutions.Count; i++)
        {
            h = Activation.Apply(_activation, convolutions[i].forward(h));
            if (_pool[i]) h = nn.functional.max_pool1d(h, 2);
        }
        h = Activation.Apply(_activation, hidden.forward(h.flatten(1)));
        return output.forward(h);
    }
}
