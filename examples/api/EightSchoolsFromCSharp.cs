using Ppl.Compiler;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.ApiExample;

/// <summary>What the example computed: posterior means from NUTS and prior means from simulations.</summary>
public sealed record EightSchoolsResult(double PosteriorMeanMu, double PosteriorMeanTau, int Divergences, double PriorMeanMu, double PriorSdMu);

/// <summary>
/// The eight-schools example driven from C#, with the objects the `ppl` command uses: <see cref="Driver"/> compiles the
/// model (diagnostics are values), <see cref="DataFileReader"/> reads its data, <see cref="Model.Bind"/> binds them,
/// <see cref="ModelLogDensity"/> + <see cref="ModelInitialisation"/> + <see cref="HamiltonianSampler"/> run NUTS on
/// the unconstrained space, <see cref="Model.Constrain"/> maps draws back, and <see cref="Model.Simulate"/> draws from
/// the prior predictive.
/// </summary>
public static class EightSchoolsFromCSharp
{
    public static EightSchoolsResult Run(string examplesFolder, TextWriter output, int warmup = 500, int draws = 500, long simulations = 4000)
    {
        // 1. Compile. Errors are diagnostics (code, range, message), rendered like `ppl check` renders them.
        var compilation = Driver.CompileFile(Path.Combine(examplesFolder, "eight_schools.ppl"));
        if (compilation.HasErrors) throw new InvalidDataException(compilation.RenderDiagnostics());

        // 2. Data: a CmdStan-style JSON file (or .npz/.npy), each value a tensor with its origin for messages.
        var read = DataFileReader.Read(Path.Combine(examplesFolder, "eight_schools.data.json"));
        if (!read.Succeeded) throw new InvalidDataException(read.ToString());
        var data = read.Value!.ToDictionary(kv => kv.Key, kv => new DataInput(kv.Value.ToTensor(ScalarType.Float64), kv.Value.Origin));

        // 3. Bind: sizes and shapes are checked against the data; errors come back located, all at once.
        var binding = Model.Bind(compilation.Factory!(), data, ModelOptions.Float64);
        if (binding.Model is not { } model) throw new InvalidDataException(string.Join("\n", binding.Errors));
        output.WriteLine($"{model.Description.Name}: {model.Dimension} unconstrained dimensions ({model.ParamDimension} in params)");

        // 4. NUTS over params and latents: the log density with its gradient, batched over chains.
        var (density, densityError) = ModelLogDensity.Create(model);
        if (density is null) throw new InvalidDataException(densityError!.ToString());
        var options = new SamplingOptions { Chains = 4, Seed = 11, NumWarmup = warmup, NumSamples = draws, AdaptDelta = 0.9 };
        var (initialisation, initErrors) = ModelInitialisation.Create(model, options.Seed, options.Chains, options.FirstChainId,
            new Dictionary<string, DataInput>());
        if (initialisation is null) throw new InvalidDataException(string.Join("\n", initErrors));
        var run = HamiltonianSampler.Sample(density, options, initialisation.Source).GetRunOrThrow();

        // Draws are unconstrained positions (log tau, …): map them to the model's values.
        var positions = run.Chains.SelectMany(c => c.Samples).Select(d => d.Position).ToArray();
        using var scope = NewDisposeScope();
        var u = tensor(positions.SelectMany(p => p).ToArray(), ScalarType.Float64).reshape(positions.Length, model.Dimension);
        var values = model.Constrain(u);
        double mu = values["mu"].mean().item<double>(), tau = values["tau"].mean().item<double>();
        int divergences = run.Chains.Sum(c => c.Samples.Count(d => d.Divergent));
        output.WriteLine($"NUTS: {positions.Length} draws, posterior mean mu = {mu:F2}, tau = {tau:F2}, {divergences} divergences");

        // 5. Simulate: the same compiled model as a batched simulator (prior predictive here; Conditioning fixes sites).
        var simulation = model.Simulate(new SimulationRequest(simulations, Seed: 7));
        double priorMu = simulation.Values["mu"].mean().item<double>();
        double priorSdMu = simulation.Values["mu"].std().item<double>();
        output.WriteLine($"simulate: {simulation.Completed} draws of (mu, tau, eta, y); prior mu: mean {priorMu:F2}, sd {priorSdMu:F2}");
        return new EightSchoolsResult(mu, tau, divergences, priorMu, priorSdMu);
    }
}
