using System.Text;
using System.Text.Json;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>
/// Initial values for `ppl sample`, in constrained space: `--init FILE` (CmdStan-style JSON, `.npz` or `.npy`, as for
/// data) and `--init-set name=value` (the `--set` syntax: numbers, lists, `@z.npy`, `@sims.npz:z`), applied after the
/// file. In a JSON file a member may also be a string `"@z.npy"` or `"@draws.npz:z"`: the array is read from that
/// file, relative to the JSON file's folder, which is how a latent field goes into a JSON initialisation.
/// </summary>
public static class InitialValueArguments
{
    /// <summary>Reads the values; null (with the exit code, after printing the errors) when something cannot be read.</summary>
    public static (Dictionary<string, DataInput>? Values, int Exit) Load(CliContext ctx, string? file, IReadOnlyList<string> sets)
    {
        var values = new Dictionary<string, DataInput>();
        if (file is not null)
        {
            if (!File.Exists(file)) return (null, ctx.Usage($"--init: file '{file}' not found", "use --init prior, --init uniform, or a .json, .npz or .npy file of initial values"));
            var (fromFile, exit) = Path.GetExtension(file).Equals(".json", StringComparison.OrdinalIgnoreCase)
                ? ReadJson(ctx, file)
                : DataArguments.Load(ctx, new[] { file }, Array.Empty<string>(), "--init");
            if (fromFile is null) return (null, exit);
            foreach (var (name, value) in fromFile) values[name] = value;
        }
        var (fromSets, setExit) = DataArguments.Load(ctx, Array.Empty<string>(), sets, "--init-set");
        if (fromSets is null) return (null, setExit);
        foreach (var (name, value) in fromSets) values[name] = value;
        return (values, ExitCodes.Ok);
    }

    /// <summary>A JSON file whose members may be file references: those are blanked out for the JSON reader (keeping every
    /// other value's line and column) and read as `--init-set name=@file` would read them.</summary>
    private static (Dictionary<string, DataInput>? Values, int Exit) ReadJson(CliContext ctx, string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, ctx.Usage($"--init: cannot read '{path}': {e.Message}"));
        }
        var references = FindReferences(bytes);
        foreach (var r in references)
        {
            // A number of the same byte length: the document stays valid and nothing else moves.
            bytes[r.Start] = (byte)'0';
            for (int i = 1; i < r.Length; i++) bytes[r.Start + i] = (byte)' ';
        }
        var text = Encoding.UTF8.GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var parsed = JsonDataReader.Parse(text, path);
        if (!parsed.Succeeded)
        {
            foreach (var e in parsed.Errors) ErrorRendering.Write(ctx.Err, e);
            return (null, ExitCodes.ModelError);
        }
        var values = new Dictionary<string, DataInput>();
        foreach (var (name, value) in parsed.Value) values[name] = DataArguments.ToInput(value);

        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var sets = references.Select(r => $"{r.Name}=@{(Path.IsPathRooted(r.Target) ? r.Target : Path.Combine(folder, r.Target))}").ToArray();
        var (linked, exit) = DataArguments.Load(ctx, Array.Empty<string>(), sets, $"--init {path}:");
        if (linked is null) return (null, exit);
        foreach (var (name, value) in linked) values[name] = value;
        return (values, ExitCodes.Ok);
    }

    private readonly record struct Reference(string Name, string Target, int Start, int Length);

    /// <summary>The top-level members whose value is a string starting with '@'. A malformed document yields none: the
    /// JSON reader then reports the problem with its location.</summary>
    private static List<Reference> FindReferences(byte[] bytes)
    {
        var found = new List<Reference>();
        try
        {
            int bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            var reader = new Utf8JsonReader(bytes.AsSpan(bom), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            string? property = null;
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName) property = reader.GetString();
                else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.String && property is not null)
                {
                    var value = reader.GetString();
                    if (value is not null && value.StartsWith('@') && value.Length > 1)
                    {
                        // TokenStartIndex is the opening quote; the token spans the value's raw bytes and both quotes.
                        int length = reader.ValueSpan.Length + 2;
                        found.Add(new Reference(property, value[1..], bom + (int)reader.TokenStartIndex, length));
                    }
                }
            }
        }
        catch (JsonException)
        {
            return new List<Reference>();
        }
        return found;
    }
}
