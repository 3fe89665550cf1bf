// Throughput of sampling and log-density (with its gradient) for every distribution, per element, in float32 and
// float64 on the CPU. Usage: dotnet run -c Release --project bench/Ppl.Bench.Distributions [elements] [threads]
using System.Diagnostics;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

long elements = args.Length > 0 ? long.Parse(args[0]) : 1_000_000;
int threads = args.Length > 1 ? int.Parse(args[1]) : 1;
torch.set_num_threads(threads);
Console.WriteLine($"{elements:N0} elements per call, {threads} thread(s); times are the median of 5 calls after one warm-up.");
Console.WriteLine($"{"distribution",-34} {"dtype",-8} {"sample ns/el",12} {"logp ns/el",12} {"logp+grad ns/el",16}");

foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
{
    Tensor T(double v) => tensor(v, dtype: dtype);
    var cases = new (string Name, Func<Distribution> Make)[]
    {
        ("Normal(0, 1)", () => new Normal(T(0), T(1))),
        ("LogNormal(0, 0.5)", () => new LogNormal(T(0), T(0.5))),
        ("Uniform(-1, 1)", () => new Uniform(T(-1), T(1))),
        ("TruncatedNormal(0.27, 0.2, lower=0)", () => new TruncatedNormal(T(0.27), T(0.2), T(0))),
        ("TruncatedNormal(0, 1, 12, 12.5)", () => new TruncatedNormal(T(0), T(1), T(12), T(12.5))),
        ("HalfNormal(1)", () => new HalfNormal(T(1))),
        ("HalfCauchy(5)", () => new HalfCauchy(T(5))),
        ("Exponential(2)", () => new Exponential(T(2))),
        ("Gamma(2.5, 1)", () => new Gamma(T(2.5), T(1))),
        ("Gamma(0.4, 1)", () => new Gamma(T(0.4), T(1))),
        ("Beta(2, 5)", () => new Beta(T(2), T(5))),
        ("Cauchy(0, 1)", () => new Cauchy(T(0), T(1))),
        ("StudentT(3, 0, 1)", () => new StudentT(T(3), T(0), T(1))),
    };
    foreach (var (name, make) in cases)
    {
        var distribution = make();
        long[] shape = [elements];
        Tensor? draws = null;
        double sample = Measure(() =>
        {
            draws?.Dispose();
            draws = distribution.Sample(new RandomStream(1, 2, 0, shape, dtype, CPU));
        });
        double logProb = Measure(() =>
        {
            using var scope = NewDisposeScope();
            distribution.LogProb(draws!);
        });
        double withGradient = Measure(() =>
        {
            using var scope = NewDisposeScope();
            var value = draws!.detach().requires_grad_(true);
            distribution.LogProb(value).sum().backward();
        });
        Console.WriteLine($"{name,-34} {dtype,-8} {sample / elements * 1e9,12:F1} {logProb / elements * 1e9,12:F1} {withGradient / elements * 1e9,16:F1}");
        draws?.Dispose();
    }

    var mvn = new MultivariateNormal(tensor(new[] { 0.0, 1.0, 2.0, 3.0 }, dtype: dtype), eye(4, dtype: dtype).mul(ConstantScalars.Of(0.5)));
    long rows = elements / 4;
    Tensor? mvnDraws = null;
    double mvnSample = Measure(() => { mvnDraws?.Dispose(); mvnDraws = mvn.Sample(new RandomStream(1, 2, 0, [rows, 4], dtype, CPU)); });
    double mvnLogProb = Measure(() => { using var scope = NewDisposeScope(); mvn.LogProb(mvnDraws!); });
    double mvnGradient = Measure(() =>
    {
        using var scope = NewDisposeScope();
        var value = mvnDraws!.detach().requires_grad_(true);
        mvn.LogProb(value).sum().backward();
    });
    Console.WriteLine($"{"MultivariateNormal (D = 4)",-34} {dtype,-8} {mvnSample / elements * 1e9,12:F1} {mvnLogProb / elements * 1e9,12:F1} {mvnGradient / elements * 1e9,16:F1}");
}

static double Measure(Action action)
{
    action();
    var times = new List<double>();
    for (int i = 0; i < 5; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times.Add(watch.Elapsed.TotalSeconds);
    }
    times.Sort();
    return times[2];
}
