using TorchSharp.Modules;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Metrics;

/// <summary>Settings of the classifier used by <see cref="ClassifierTwoSampleTest"/>. Defaults reproduce
/// scikit-learn's <c>MLPClassifier</c> as sbibm configures it.</summary>
public sealed record ClassifierOptions
{
    /// <summary>Hidden layers are this many units per input dimension (sbibm: 10·dim, two layers).</summary>
    public int HiddenUnitsPerDimension { get; init; } = 10;

    public int HiddenLayers { get; init; } = 2;

    /// <summary>Adam step size (sklearn learning_rate_init).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>L2 penalty (sklearn alpha), applied as α/2·Σ‖W‖² / batch size on weights only.</summary>
    public double L2Penalty { get; init; } = 1e-4;

    /// <summary>Mini-batch size; sklearn's 'auto' is min(200, n).</summary>
    public int BatchSize { get; init; } = 200;

    /// <summary>Maximum epochs (sklearn max_iter).</summary>
    public int MaxEpochs { get; init; } = 1000;

    /// <summary>Training stops when the epoch loss has not improved by <see cref="Tolerance"/> for more than
    /// <see cref="NoImprovementEpochs"/> consecutive epochs (sklearn tol and n_iter_no_change).</summary>
    public double Tolerance { get; init; } = 1e-4;

    public int NoImprovementEpochs { get; init; } = 10;
}

/// <summary>
/// A binary MLP classifier trained like scikit-learn's MLPClassifier with the adam solver: Glorot-uniform
/// initialisation (bound √(6/(fan_in+fan_out)), biases too), ReLU hidden layers, one logistic output, log-loss
/// plus the L2 penalty, Adam (β = 0.9, 0.999, ε = 1e-8), reshuffled mini-batches each epoch, stopping on the
/// training-loss plateau rule. Differences from sklearn: float32, libtorch's Adam (ε added after the bias
/// correction instead of folded into the step size), and a seeded shuffle of our own rather than NumPy's.
/// </summary>
internal sealed class BinaryMlpClassifier : IDisposable
{
    private readonly List<(Parameter Weight, Parameter Bias)> _layers = new();
    private readonly ClassifierOptions _options;

    public BinaryMlpClassifier(int inputs, ClassifierOptions options, Random random, Device device)
    {
        _options = options;
        int hidden = options.HiddenUnitsPerDimension * inputs;
        var widths = new[] { inputs }.Concat(Enumerable.Repeat(hidden, options.HiddenLayers)).Append(1).ToArray();
        for (int i = 0; i < widths.Length - 1; i++)
        {
            int fanIn = widths[i], fanOut = widths[i + 1];
            double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
            var w = new Parameter(tensor(Uniform(random, fanOut * fanIn, bound), [fanOut, fanIn], device: device), requires_grad: true);
            var b = new Parameter(tensor(Uniform(random, fanOut, bound), [fanOut], device: device), requires_grad: true);
            w.DetachFromDisposeScope();
            b.DetachFromDisposeScope();
            _layers.Add((w, b));
        }
    }

    /// <summary>Number of epochs the last <see cref="Fit"/> ran.</summary>
    public int EpochsRun { get; private set; }

    public void Fit(Tensor x, Tensor labels, Random random)
    {
        long n = x.shape[0];
        int batch = (int)Math.Min(_options.BatchSize, n);
        var parameters = _layers.SelectMany(l => new[] { l.Weight, l.Bias }).ToList();
        using var optimizer = new AdamOptimizer(parameters, _options.LearningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8);
        double best = double.PositiveInfinity;
        int noImprovement = 0;
        var order = Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
        EpochsRun = 0;
        for (int epoch = 0; epoch < _options.MaxEpochs; epoch++)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            using var epochScope = NewDisposeScope();
            using var permutation = tensor(order, device: x.device);
            var xs = x.index_select(0, permutation);
            var ys = labels.index_select(0, permutation);
            var total = zeros(1, device: x.device);
            for (long start = 0; start < n; start += batch)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(batch, n - start);
                var logits = Logits(xs.narrow(0, start, size));
                var loss = nn.functional.binary_cross_entropy_with_logits(logits, ys.narrow(0, start, size));
                var penalty = _layers.Select(l => TensorArithmetic.Square(l.Weight).sum()).Aggregate((a, b) => TensorArithmetic.Add(a, b));
                loss = TensorArithmetic.Add(loss, TensorArithmetic.Div(TensorArithmetic.Mul(0.5 * _options.L2Penalty, penalty), size));
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
                // Accumulated on the device: one synchronising read per epoch rather than per batch.
                total.add_(TensorArithmetic.Mul(loss.detach(), size), TensorArithmetic.One);
            }
            EpochsRun = epoch + 1;
            double epochLoss = total.item<float>() / n;
            if (epochLoss > best - _options.Tolerance) noImprovement++;
            else noImprovement = 0;
            if (epochLoss < best) best = epochLoss;
            if (noImprovement > _options.NoImprovementEpochs) break;
        }
    }

    /// <summary>Predicted classes (0 or 1) as float [n].</summary>
    public Tensor Predict(Tensor x)
    {
        using var noGrad = no_grad();
        return Logits(x).gt(ConstantScalars.Of(0)).to_type(x.dtype);
    }

    private Tensor Logits(Tensor x)
    {
        var h = x;
        for (int i = 0; i < _layers.Count; i++)
        {
            h = nn.functional.linear(h, _layers[i].Weight, _layers[i].Bias);
            if (i < _layers.Count - 1) h = nn.functional.relu(h);
        }
        return h.squeeze(1);
    }

    private static float[] Uniform(Random random, int count, double bound)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        return values;
    }

    public void Dispose()
    {
        foreach (var (w, b) in _layers)
        {
            w.Dispose();
            b.Dispose();
        }
    }
}
