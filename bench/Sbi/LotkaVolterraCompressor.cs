using Ppl.Runtime.Flows;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Bench.Sbi;

/// <summary>
/// A 1-D CNN that compresses a Lotka–Volterra series y [n, 10, 2] to 4 summaries, trained once by regression on
/// simulations that do not count towards the budgets of the study (as the score-augmented NPE paper pretrains its
/// compressor): inputs log y standardised per element, targets the standardised unconstrained parameters, MSE loss.
/// </summary>
internal sealed class LotkaVolterraCompressor : IDisposable
{
    private readonly ContextEmbedding _network;
    private readonly Tensor _inputMean, _inputStd;

    private LotkaVolterraCompressor(ContextEmbedding network, Tensor inputMean, Tensor inputStd)
    {
        _network = network;
        _inputMean = inputMean;
        _inputStd = inputStd;
    }

    /// <summary>Trains the compressor on (u [n, 4], y [n, 10, 2]); rows with non-finite values are left out.</summary>
    public static LotkaVolterraCompressor Train(Tensor theta, Tensor series, ulong seed, int epochs)
    {
        var architecture = new EmbeddingArchitecture
        {
            Kind = EmbeddingKind.Conv1d,
            OutputDimension = 4,
            HiddenUnits = 64,
            ConvolutionChannels = [32, 64],
            Activation = ActivationKind.Silu,
        };
        var network = ContextEmbedding.Create(architecture, [series.shape[1], series.shape[2]], new SeededInitializer(seed));
        Tensor inputMean, inputStd;
        using (var scope = NewDisposeScope())
        {
            var logSeries = series.to_type(ScalarType.Float32).log();
            var finite = logSeries.isfinite().reshape(logSeries.shape[0], -1).all(1).logical_and(theta.isfinite().all(1));
            var rows = finite.nonzero().squeeze(1);
            var x = logSeries.index_select(0, rows);
            var u = theta.to_type(ScalarType.Float32).index_select(0, rows);
            inputMean = x.mean([0]).DetachFromDisposeScope();
            inputStd = x.std(0).clamp_min(ConstantScalars.Of(1e-6)).DetachFromDisposeScope();
            var target = (u - u.mean([0])) / u.std(0);
            var input = (x - inputMean) / inputStd;
            using var optimizer = new AdamOptimizer(network.parameters(), 1e-3);
            var random = new Random((int)seed);
            long n = input.shape[0];
            const int batch = 256;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                var order = Enumerable.Range(0, (int)n).Select(i => (long)i).OrderBy(_ => random.Next()).ToArray();
                for (long start = 0; start < n; start += batch)
                {
                    using var step = NewDisposeScope();
                    var index = tensor(order.AsSpan((int)start, (int)Math.Min(batch, n - start)).ToArray());
                    optimizer.ZeroGrad();
                    var loss = TensorArithmetic.Square((network.Forward(input.index_select(0, index)) - target.index_select(0, index))).mean();
                    loss.backward();
                    optimizer.Step();
                }
            }
        }
        foreach (var p in network.parameters()) p.DetachFromDisposeScope();
        return new LotkaVolterraCompressor(network, inputMean, inputStd);
    }

    /// <summary>The 4 summaries of series y [n, 10, 2], without gradients; [n, 4] float32.</summary>
    public Tensor Summaries(Tensor series)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = (series.to_type(ScalarType.Float32).log() - _inputMean) / _inputStd;
        return _network.Forward(input).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _network.Dispose();
        _inputMean.Dispose();
        _inputStd.Dispose();
    }
}
