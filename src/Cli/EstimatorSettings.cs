using System.Globalization;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Sbi;

namespace Ppl.Cli;

/// <summary>
/// The flow architecture and training settings of `ppl train`, read from its options. Unset options keep the library's
/// defaults (the sbi package's: 5 layers of 2×50 hidden units, batch 200, Adam 5e-4, 10% validation, patience 20,
/// gradient norm clipped at 5).
/// </summary>
public static class EstimatorSettings
{
    /// <summary>The options this reader understands (added to a command's spec).</summary>
    public static OptionSpec AddTo(OptionSpec spec) => spec
        .Value("--flow", "spline|affine|maf|smooth", "the normalizing flow (default spline)", "spline", "affine", "maf", "smooth")
        .Value("--layers", "L", "flow layers (default 5)")
        .Value("--hidden", "H", "hidden units per layer of the flow's networks (default 50)")
        .Value("--hidden-layers", "K", "hidden layers of the flow's networks (default 2)")
        .Value("--bins", "B", "spline bins (default 8)")
        .Value("--tail-bound", "T", "splines act on [-T, T] (default 3)")
        .Value("--components", "K", "sigmoid components of the smooth flow (default 8)")
        .Value("--activation", "relu|silu|tanh|elu", "activation of the flow's networks", "relu", "silu", "tanh", "elu")
        .Value("--permutation", "reverse|random", "permutation between flow layers (default reverse)", "reverse", "random")
        .Value("--embedding", "identity|mlp|cnn", "the embedding network of the data (default identity)", "identity", "mlp", "cnn")
        .Value("--embedding-dim", "D", "output dimension of the embedding (default 8)")
        .Value("--embedding-hidden", "H", "hidden units of the embedding (default 64)")
        .Value("--embedding-activation", "relu|silu|tanh|elu", "activation of the embedding", "relu", "silu", "tanh", "elu")
        .Value("--epochs", "E", "most epochs (default 500)")
        .Value("--batch-size", "B", "simulations per batch (default 200)")
        .Value("--lr", "LR", "learning rate (default 5e-4)")
        .Value("--schedule", "S", "learning-rate schedule: constant, cosine, exponential:γ or step:γ:k")
        .Value("--patience", "P", "epochs without validation progress before stopping (default 20)")
        .Value("--validation-fraction", "F", "fraction of simulations held out for validation (default 0.1)")
        .Value("--clip", "C", "gradient-norm clip (default 5)");

    /// <summary>Flow kinds by their command-line names.</summary>
    public static readonly IReadOnlyDictionary<string, FlowKind> FlowNames = new Dictionary<string, FlowKind>
    {
        ["spline"] = FlowKind.RationalQuadraticSpline,
        ["affine"] = FlowKind.AffineCoupling,
        ["maf"] = FlowKind.MaskedAutoregressive,
        ["smooth"] = FlowKind.SmoothCoupling,
    };

    private static readonly IReadOnlyDictionary<string, EmbeddingKind> EmbeddingNames = new Dictionary<string, EmbeddingKind>
    {
        ["identity"] = EmbeddingKind.Identity,
        ["mlp"] = EmbeddingKind.Mlp,
        ["cnn"] = EmbeddingKind.Conv1d,
    };

    /// <summary>The architecture, or a usage message.</summary>
    public static (FlowArchitecture? Architecture, string? Error) Architecture(CommandLine line)
    {
        var flowName = line.Get("--flow") ?? "spline";
        if (!FlowNames.TryGetValue(flowName, out var kind))
            return (null, $"--flow must be one of {string.Join(", ", FlowNames.Keys)}; got '{flowName}'");
        var architecture = FlowArchitecture.Of(kind);
        string? error = null;
        int Int(string option, int current, int min)
        {
            if (error is not null || line.Get(option) is not { } text) return current;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min) return value;
            error = $"{option} must be an integer of at least {min}; got '{text}'";
            return current;
        }
        double Real(string option, double current)
        {
            if (error is not null || line.Get(option) is not { } text) return current;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)) return value;
            error = $"{option} must be a positive number; got '{text}'";
            return current;
        }
        ActivationKind Activation(string option, ActivationKind current)
        {
            if (error is not null || line.Get(option) is not { } text) return current;
            if (Enum.TryParse<ActivationKind>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
            error = $"{option} must be one of relu, silu, tanh, elu; got '{text}'";
            return current;
        }

        var embeddingName = line.Get("--embedding") ?? "identity";
        if (!EmbeddingNames.TryGetValue(embeddingName, out var embeddingKind))
            return (null, $"--embedding must be one of {string.Join(", ", EmbeddingNames.Keys)}; got '{embeddingName}'");
        var embedding = new EmbeddingArchitecture { Kind = embeddingKind };
        embedding = embedding with
        {
            OutputDimension = Int("--embedding-dim", embedding.OutputDimension, 1),
            HiddenUnits = Int("--embedding-hidden", embedding.HiddenUnits, 1),
            Activation = Activation("--embedding-activation", embedding.Activation),
        };
        var permutation = line.Get("--permutation") ?? "reverse";
        if (permutation is not ("reverse" or "random")) return (null, $"--permutation must be reverse or random; got '{permutation}'");

        architecture = architecture with
        {
            Layers = Int("--layers", architecture.Layers, 1),
            HiddenUnits = Int("--hidden", architecture.HiddenUnits, 1),
            HiddenLayers = Int("--hidden-layers", architecture.HiddenLayers, 1),
            Bins = Int("--bins", architecture.Bins, 2),
            TailBound = Real("--tail-bound", architecture.TailBound),
            MixtureComponents = Int("--components", architecture.MixtureComponents, 1),
            Activation = Activation("--activation", architecture.Activation),
            Permutation = permutation == "random" ? PermutationKind.Random : PermutationKind.Reverse,
            Embedding = embedding,
        };
        return error is null ? (architecture, null) : (null, error);
    }

    /// <summary>The training options (seed and cancellation included), or a usage message.</summary>
    public static (TrainingOptions? Options, string? Error) Training(CommandLine line, ulong seed, CancellationToken cancellation)
    {
        var options = new TrainingOptions { Seed = seed, Cancellation = cancellation };
        var inv = CultureInfo.InvariantCulture;
        if (line.Get("--epochs") is { } epochs)
        {
            if (!int.TryParse(epochs, NumberStyles.Integer, inv, out int value) || value < 1) return (null, "--epochs must be a positive integer (the most epochs to run)");
            options = options with { MaxEpochs = value };
        }
        if (line.Get("--batch-size") is { } batch)
        {
            if (!int.TryParse(batch, NumberStyles.Integer, inv, out int value) || value < 1) return (null, "--batch-size must be a positive integer");
            options = options with { BatchSize = value };
        }
        if (line.Get("--lr") is { } lr)
        {
            if (!double.TryParse(lr, NumberStyles.Float, inv, out double value) || !(value > 0) || !double.IsFinite(value)) return (null, "--lr must be a positive number");
            options = options with { LearningRate = value };
        }
        if (line.Get("--patience") is { } patience)
        {
            if (!int.TryParse(patience, NumberStyles.Integer, inv, out int value) || value < 1) return (null, "--patience must be a positive integer (epochs without improvement before stopping)");
            options = options with { Patience = value };
        }
        if (line.Get("--validation-fraction") is { } fraction)
        {
            if (!double.TryParse(fraction, NumberStyles.Float, inv, out double value) || !(value >= 0 && value < 1)) return (null, "--validation-fraction must be in [0, 1)");
            options = options with { ValidationFraction = value };
        }
        if (line.Get("--clip") is { } clip)
        {
            if (!double.TryParse(clip, NumberStyles.Float, inv, out double value) || !double.IsFinite(value)) return (null, "--clip must be a number (0 turns gradient clipping off)");
            options = options with { GradientClipNorm = value };
        }
        if (line.Get("--schedule") is { } schedule)
        {
            var (parsed, error) = Schedule(schedule);
            if (parsed is null) return (null, error);
            options = options with { Schedule = parsed };
        }
        return (options, null);
    }

    /// <summary>constant | cosine | exponential:γ | step:γ:k.</summary>
    private static (LearningRateSchedule? Schedule, string? Error) Schedule(string text)
    {
        const string usage = "--schedule must be constant, cosine, exponential:GAMMA or step:GAMMA:EPOCHS (e.g. exponential:0.98, step:0.5:50)";
        var parts = text.Split(':');
        var inv = CultureInfo.InvariantCulture;
        switch (parts[0])
        {
            case "constant" when parts.Length == 1: return (LearningRateSchedule.Constant, null);
            case "cosine" when parts.Length == 1: return (LearningRateSchedule.Cosine, null);
            case "exponential" when parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, inv, out double gamma) && gamma > 0 && gamma <= 1:
                return (LearningRateSchedule.Exponential(gamma), null);
            case "step" when parts.Length == 3 && double.TryParse(parts[1], NumberStyles.Float, inv, out double gamma) && gamma > 0 && gamma <= 1
                && int.TryParse(parts[2], NumberStyles.Integer, inv, out int every) && every >= 1:
                return (LearningRateSchedule.Step(gamma, every), null);
            default: return (null, usage);
        }
    }

    /// <summary>A short description of an architecture, e.g. "spline flow, 5 layers of 2×50 relu, 8 bins".</summary>
    public static string Describe(FlowArchitecture a)
    {
        var name = FlowNames.First(kv => kv.Value == a.Kind).Key;
        var extra = a.Kind switch
        {
            FlowKind.RationalQuadraticSpline => $", {a.Bins} bins on ±{a.TailBound.ToString(CultureInfo.InvariantCulture)}",
            FlowKind.SmoothCoupling => $", {a.MixtureComponents} sigmoid components",
            _ => "",
        };
        var embedding = a.Embedding.Kind switch
        {
            EmbeddingKind.Identity => "",
            EmbeddingKind.Mlp => $"; MLP embedding to {a.Embedding.OutputDimension} features",
            _ => $"; 1-D CNN embedding to {a.Embedding.OutputDimension} features",
        };
        return $"{name} flow, {a.Layers} layers of {a.HiddenLayers}×{a.HiddenUnits} {a.Activation.ToString().ToLowerInvariant()}{extra}{embedding}";
    }
}
