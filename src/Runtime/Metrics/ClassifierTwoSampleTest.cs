using static TorchSharp.torch;

namespace Ppl.Runtime.Metrics;

/// <summary>The outcome of a classifier two-sample test.</summary>
/// <param name="Accuracy">Mean held-out accuracy over the folds (0.5: indistinguishable, 1: separable).</param>
/// <param name="FoldAccuracies">Accuracy of each fold.</param>
/// <param name="EpochsPerFold">Training epochs the classifier ran in each fold.</param>
public sealed record TwoSampleTestResult(double Accuracy, IReadOnlyList<double> FoldAccuracies, IReadOnlyList<int> EpochsPerFold);

/// <summary>
/// Classifier two-sample test (C2ST) following sbibm's protocol: both sample sets are z-scored with the mean
/// and standard deviation of the first (reference) set, labelled 0 and 1, shuffled into 5 folds (KFold with
/// shuffling), and an MLP classifier (two hidden layers of 10·dim ReLU units, sklearn MLPClassifier defaults;
/// see <see cref="BinaryMlpClassifier"/>) is trained on four folds and scored on the fifth. The result is the
/// mean accuracy. Seeded: the same seed and samples give the same result.
/// </summary>
public static class ClassifierTwoSampleTest
{
    /// <summary>C2ST accuracy between <paramref name="reference"/> [n, d] and <paramref name="candidate"/> [m, d].</summary>
    public static TwoSampleTestResult Compute(Tensor reference, Tensor candidate, int seed = 1, int folds = 5,
        ClassifierOptions? options = null, bool zScore = true)
    {
        if (reference.dim() != 2 || candidate.dim() != 2 || reference.shape[1] != candidate.shape[1])
            throw new ArgumentException($"Both samples must be [n, d] with the same d; got [{string.Join(", ", reference.shape)}] and [{string.Join(", ", candidate.shape)}].");
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "At least two folds are needed.");
        options ??= new ClassifierOptions();
        using var scope = NewDisposeScope();
        var device = reference.device;
        var x = reference.to(ScalarType.Float32);
        var y = candidate.to(ScalarType.Float32, device);
        if (zScore)
        {
            var mean = x.mean([0], keepdim: true);
            var std = x.std(0, keepdim: true);
            x = (x - mean) / std;
            y = (y - mean) / std;
        }
        var data = cat([x, y], 0);
        var labels = cat([zeros(x.shape[0], device: device), ones(y.shape[0], device: device)], 0);
        long n = data.shape[0];
        int dimension = (int)data.shape[1];

        var random = new Random(seed);
        var order = Enumerable.Range(0, (int)n).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var accuracies = new List<double>();
        var epochs = new List<int>();
        for (int fold = 0; fold < folds; fold++)
        {
            using var foldScope = NewDisposeScope();
            // sklearn's KFold: the first n % folds folds get one extra element.
            long start = fold * (n / folds) + Math.Min(fold, n % folds);
            long size = n / folds + (fold < n % folds ? 1 : 0);
            var test = order.Skip((int)start).Take((int)size).Select(i => (long)i).ToArray();
            var train = order.Take((int)start).Concat(order.Skip((int)(start + size))).Select(i => (long)i).ToArray();
            var trainIndex = tensor(train, device: device);
            var testIndex = tensor(test, device: device);
            using var classifier = new BinaryMlpClassifier(dimension, options, random, device);
            classifier.Fit(data.index_select(0, trainIndex), labels.index_select(0, trainIndex), random);
            var predicted = classifier.Predict(data.index_select(0, testIndex));
            accuracies.Add(predicted.eq(labels.index_select(0, testIndex)).to_type(ScalarType.Float64).mean().item<double>());
            epochs.Add(classifier.EpochsRun);
        }
        return new TwoSampleTestResult(accuracies.Average(), accuracies, epochs);
    }
}
