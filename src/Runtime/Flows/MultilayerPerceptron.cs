using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>A dense network: inputs → (hidden, activation) × L → outputs. Used as coupling conditioner and embedding.</summary>
public sealed class MultilayerPerceptron : nn.Module
{
    private readonly ModuleList<Linear> layers = new();
    private readonly ActivationKind _activation;

    /// <param name="inputs">Input features; 0 is allowed (the network then outputs a learned constant).</param>
    /// <param name="hiddenUnits">Width of the hidden layers.</param>
    /// <param name="hiddenLayers">Number of hidden layers.</param>
    /// <param name="outputs">Output features.</param>
    /// <param name="activation">Hidden nonlinearity.</param>
    /// <param name="initializer">Source of the initial weights.</param>
    /// <param name="zeroOutput">Start the last layer at zero (flows then start at a simple transform).</param>
    public MultilayerPerceptron(long inputs, int hiddenUnits, int hiddenLayers, long outputs, ActivationKind activation,
        SeededInitializer initializer, bool zeroOutput) : base(nameof(MultilayerPerceptron))
    {
        _activation = activation;
        Inputs = inputs;
        long width = Math.Max(inputs, 1);
        for (int i = 0; i < hiddenLayers; i++)
        {
            layers.Add(initializer.Linear(width, hiddenUnits));
            width = hiddenUnits;
        }
        layers.Add(initializer.Linear(width, outputs, zeroOutput));
        RegisterComponents();
    }

    /// <summary>Number of input features the network was built for.</summary>
    public long Inputs { get; }

    /// <summary>Evaluates the network on [n, inputs] (an [n, 0] input is replaced by a column of ones).</summary>
    public Tensor Forward(Tensor input)
    {
        var h = input.shape[1] == 0 ? ones(input.shape[0], 1, dtype: input.dtype, device: input.device) : input;
        for (int i = 0; i < layers.Count; i++)
        {
            h = layers[i].forward(h);
            if (i < layers.Count - 1) h = Activation.Apply(_activation, h);
        }
        return h;
    }
}
