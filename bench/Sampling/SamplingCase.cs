using Ppl.Compiler;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Bench.Sampling;

/// <summary>A model to sample: its file, its data, and the iterations the benchmark gives it.</summary>
/// <param name="Name">The row label.</param>
/// <param name="ModelFile">The model, relative to the repository root.</param>
/// <param name="Warmup">Warm-up iterations per chain.</param>
/// <param name="Draws">Sampling iterations per chain.</param>
/// <param name="Data">Data and observations; observations not given are simulated from the prior.</param>
internal sealed record SamplingCase(string Name, string ModelFile, int Warmup, int Draws, Func<string, Dictionary<string, DataInput>> Data)
{
    /// <summary>The seed of the simulated observations.</summary>
    public const ulong ObservationSeed = 20240601;

    /// <summary>Compiles and binds the model; observed sites without data get one simulation from the prior.</summary>
    public Model Bind(string root, ModelOptions options)
    {
        var compilation = Driver.CompileFile(Path.Combine(root, ModelFile));
        if (compilation.HasErrors) throw new InvalidOperationException(compilation.RenderDiagnostics());
        var data = Data(root);
        var prior = BindOrThrow(compilation, data, options);
        var missing = prior.MissingObservations;
        if (missing.Count == 0) return prior;
        var simulation = prior.Simulate(new SimulationRequest(1, ObservationSeed) { RecordLets = new HashSet<string>() });
        foreach (var name in missing) data[name] = new DataInput(simulation.Values[name][0].to_type(ScalarType.Float64), "simulated");
        return BindOrThrow(compilation, data, options);
    }

    private static Model BindOrThrow(Compilation compilation, Dictionary<string, DataInput> data, ModelOptions options)
    {
        var binding = Model.Bind(compilation.Factory!(), data, options);
        return binding.Model ?? throw new InvalidOperationException(string.Join("\n", binding.Errors));
    }

    /// <summary>Values of a data file (eight schools' observations).</summary>
    public static Dictionary<string, DataInput> FromFile(string path)
    {
        var read = DataFileReader.Read(path);
        if (!read.Succeeded) throw new InvalidOperationException(read.ToString());
        return read.Value.ToDictionary(kv => kv.Key, kv => new DataInput(kv.Value.ToTensor(ScalarType.Float64), kv.Value.Origin));
    }

    /// <summary>sbibm's first Gaussian-linear observation, from the shared reference data beside the checkout.</summary>
    public static Dictionary<string, DataInput> GaussianLinearObservation(string root)
    {
        var path = Path.Combine(root, "..", "shared", "reference", "sbibm", "gaussian_linear", "obs1", "observation.csv");
        var read = CsvReader.Read(path);
        if (!read.Succeeded) throw new InvalidOperationException(read.ToString());
        var x = Enumerable.Range(0, read.Value.ColumnCount).Select(j => read.Value.Values[0, j]).ToArray();
        return new Dictionary<string, DataInput> { ["x"] = new(tensor(x), path) };
    }

    /// <summary>The folder holding Ppl.sln above the running program.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Ppl.sln not found above " + AppContext.BaseDirectory);
    }
}
