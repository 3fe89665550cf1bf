namespace Ppl.Cli;

/// <summary>The options a command accepts: flags (no value) and valued options, some repeatable, with short aliases.</summary>
public sealed class OptionSpec
{
    private readonly Dictionary<string, (string Canonical, bool HasValue, bool Repeatable)> _options = new();

    public OptionSpec Flag(string name, params string[] aliases) => Add(name, false, false, aliases);

    public OptionSpec Value(string name, params string[] aliases) => Add(name, true, false, aliases);

    public OptionSpec Repeated(string name, params string[] aliases) => Add(name, true, true, aliases);

    private OptionSpec Add(string name, bool hasValue, bool repeatable, string[] aliases)
    {
        _options[name] = (name, hasValue, repeatable);
        foreach (var a in aliases) _options[a] = (name, hasValue, repeatable);
        return this;
    }

    internal bool TryGet(string name, out (string Canonical, bool HasValue, bool Repeatable) option) => _options.TryGetValue(name, out option);

    internal IEnumerable<string> Names => _options.Keys;
}

/// <summary>A parsed command line: positional arguments and options by canonical name.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new();

    public List<string> Positional { get; } = new();

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var v) ? v : Array.Empty<string>();

    /// <summary>Parses `--name value`, `--name=value`, `-n value` and flags; returns an error message for unknown options
    /// or missing values.</summary>
    public static (CommandLine? Line, string? Error) Parse(IReadOnlyList<string> args, OptionSpec spec)
    {
        var line = new CommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                line.Positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (a.StartsWith('-') && a.Length > 1 && !IsNumber(a))
            {
                string name = a, value = "";
                bool inline = false;
                int eq = a.IndexOf('=');
                if (eq > 0 && a.StartsWith("--", StringComparison.Ordinal))
                {
                    name = a[..eq];
                    value = a[(eq + 1)..];
                    inline = true;
                }
                if (!spec.TryGet(name, out var option))
                {
                    var hint = Ppl.Runtime.Abstractions.Spelling.Suggest(name, spec.Names);
                    return (null, $"unknown option '{name}'" + (hint is null ? "" : $" ({hint})"));
                }
                if (!option.HasValue)
                {
                    if (inline) return (null, $"option '{name}' takes no value");
                    line.Add(option.Canonical, "true");
                    continue;
                }
                if (!inline)
                {
                    if (i + 1 >= args.Count) return (null, $"option '{name}' needs a value");
                    value = args[++i];
                }
                if (!option.Repeatable && line.Has(option.Canonical)) return (null, $"option '{name}' is given more than once");
                line.Add(option.Canonical, value);
            }
            else line.Positional.Add(a);
        }
        return (line, null);
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = new List<string>();
        list.Add(value);
    }

    private static bool IsNumber(string s) => double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}
