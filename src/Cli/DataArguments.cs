using System.Globalization;
using Ppl.Dsl;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// Values given on the command line: data files (`--data obs.json|obs.npz`, CmdStan-style JSON or NumPy) and single values
/// (`--set N=64`, `--set theta=[0.1, -0.2]`, `--set z=@z.npy`, `--set z=@sims.npz:z`, `--set z=@sims.h5:z`). A `--set` overrides the files
/// (and a later `--set` an earlier one); two files giving the same name is a usage error naming both, since which one
/// was meant cannot be known.
/// </summary>
public static class DataArguments
{
    /// <param name="ctx">Where errors go.</param>
    /// <param name="files">Data files, read in order.</param>
    /// <param name="sets">`name=value` items, applied after the files.</param>
    /// <param name="setOption">The option the items came from, for messages (`--set`, `--init-set`).</param>
    public static (Dictionary<string, DataInput>? Values, int Exit) Load(CliContext ctx, IReadOnlyList<string> files, IReadOnlyList<string> sets, string setOption = "--set")
    {
        var values = new Dictionary<string, DataInput>();
        var fileOf = new Dictionary<string, string>();
        foreach (var file in files)
        {
            if (!File.Exists(file)) return (null, ctx.Usage($"data file '{file}' not found"));
            var result = DataFileReader.Read(file);
            if (!result.Succeeded)
            {
                foreach (var e in result.Errors) ErrorRendering.Report(ctx, e);
                return (null, ExitCodes.ModelError);
            }
            foreach (var (name, value) in result.Value!)
            {
                if (fileOf.TryGetValue(name, out var earlier))
                    return (null, ctx.Usage($"'{name}' is given by two data files, '{earlier}' and '{file}'",
                        $"keep it in one file, or give the value meant with --set {name}=..."));
                fileOf[name] = file;
                values[name] = ToInput(value);
            }
        }
        foreach (var set in sets)
        {
            int eq = set.IndexOf('=');
            if (eq <= 0) return (null, ctx.Usage($"{setOption} expects name=value, got '{set}'", $"for example {setOption} theta=[0.1, 0.2] or {setOption} z=@z.npy"));
            var name = set[..eq].Trim();
            var text = set[(eq + 1)..].Trim();
            var label = $"{setOption} {name}";
            var (input, exit) = text.StartsWith('@') ? FromFile(ctx, label, name, text[1..]) : FromLiteral(ctx, label, text);
            if (input is null) return (null, exit);
            values[name] = input;
        }
        return (values, ExitCodes.Ok);
    }

    public static DataInput ToInput(DataValue value) => new(value.ToTensor(ScalarType.Float64), value.Origin);

    private static (DataInput?, int) FromFile(CliContext ctx, string label, string name, string spec)
    {
        string path = spec, entry = "";
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && (spec[..colon].EndsWith(".npz", StringComparison.OrdinalIgnoreCase) || Hdf5Archive.IsHdf5Path(spec[..colon])))
        {
            path = spec[..colon];
            entry = spec[(colon + 1)..];
        }
        if (!File.Exists(path)) return (null, ctx.Usage($"{label}: file '{path}' not found"));
        if (Hdf5Archive.IsHdf5Path(path))
        {
            // @file.h5:dataset (a path inside the file, group/name), or the dataset named like the variable.
            var dataset = Hdf5Archive.ReadDataset(path, entry == "" ? name : entry);
            if (!dataset.Succeeded)
            {
                foreach (var e in dataset.Errors) ErrorRendering.Write(ctx.Err, e);
                return (null, ExitCodes.ModelError);
            }
            return (new DataInput(Normalise(dataset.Value.ToTensor()), $"{path}[{(entry == "" ? name : entry)}]"), ExitCodes.Ok);
        }
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var all = NpzReader.ReadAllTensors(path);
            if (!all.Succeeded)
            {
                foreach (var e in all.Errors) ErrorRendering.Report(ctx, e);
                return (null, ExitCodes.ModelError);
            }
            var key = entry == "" ? name : entry;
            if (!all.Value!.TryGetValue(key, out var t))
                return (null, ctx.Usage($"{label}: '{path}' has no entry '{key}'", $"its entries are {string.Join(", ", all.Value.Keys)}"));
            return (new DataInput(Normalise(t), $"{path}[{key}]"), ExitCodes.Ok);
        }
        var read = NpyReader.ReadTensor(path);
        if (!read.Succeeded)
        {
            foreach (var e in read.Errors) ErrorRendering.Report(ctx, e);
            return (null, ExitCodes.ModelError);
        }
        return (new DataInput(Normalise(read.Value!), path), ExitCodes.Ok);
    }

    private static Tensor Normalise(Tensor t) =>
        t.is_floating_point() ? t.to_type(ScalarType.Float64) : t.dtype == ScalarType.Bool ? t : t.to_type(ScalarType.Int64);

    /// <summary>Numbers, true/false and nested [..] lists, written in the modelling language's syntax.</summary>
    private static (DataInput?, int) FromLiteral(CliContext ctx, string label, string text)
    {
        var origin = label;
        var (expr, diagnostics) = Parser.parseExpression(origin, text).ToValueTuple();
        if (expr is null || diagnostics.Any(d => d.Severity.IsError))
        {
            ErrorRendering.Report(ctx, diagnostics, text);
            return (null, ctx.Usage($"{label}: '{text}' is not a value"));
        }
        var values = new List<double>();
        var shape = new List<long>();
        bool integer = true, boolean = false, ok = true;
        void Walk(Expr e, int depth)
        {
            switch (e)
            {
                case Expr.Number n:
                    values.Add(n.Value);
                    integer &= n.IsInt;
                    break;
                case Expr.Unary { Op.IsNeg: true, Operand: Expr.Number n }:
                    values.Add(-n.Value);
                    integer &= n.IsInt;
                    break;
                case Expr.BoolLit b:
                    values.Add(b.Value ? 1 : 0);
                    boolean = true;
                    break;
                case Expr.Vector v:
                    if (shape.Count <= depth) shape.Add(v.Items.Length);
                    else if (shape[depth] != v.Items.Length) ok = false;
                    foreach (var item in v.Items) Walk(item, depth + 1);
                    break;
                default:
                    ok = false;
                    break;
            }
        }
        Walk(expr.Value, 0);
        if (!ok || values.Count != shape.Aggregate(1L, (a, b) => a * b))
            return (null, ctx.Usage($"{label}: '{text}' must be a number, true/false, or a rectangular [..] list of them"));
        var dims = shape.ToArray();
        Tensor t = boolean
            ? tensor(values.Select(v => v != 0).ToArray(), ScalarType.Bool).reshape(dims)
            : integer ? tensor(values.Select(v => (long)v).ToArray(), ScalarType.Int64).reshape(dims)
            : tensor(values.ToArray(), ScalarType.Float64).reshape(dims);
        return (new DataInput(t, origin), ExitCodes.Ok);
    }

    public static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
