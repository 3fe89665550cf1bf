using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

if (args.Length > 0) torch.set_num_threads(int.Parse(args[0]));
foreach (var n in new long[] { 2300, 100000 })
{
    var p = rand(n) + 0.5;
    var pd = p.to(ScalarType.Float64);
    void Time(string name, Func<Tensor> f)
    {
        f().Dispose();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++) { using var y = f(); }
        Console.WriteLine($"n={n} {name}: {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
    }
    Time("log", () => p.log());
    Time("log f64", () => pd.log());
    Time("log2", () => p.log2());
    Time("log1p", () => (p - 1).log1p());
    Time("exp", () => p.exp());
    Time("tanh", () => p.tanh());
    Time("sigmoid", () => p.sigmoid());
    Time("sqrt", () => p.sqrt());
    Time("logsigmoid", () => nn.functional.logsigmoid(p));
    Time("softplus", () => nn.functional.softplus(p));
}
