namespace Ppl.Cli;

/// <summary>A parsed command line as the commands read it: positional arguments and the values of options by canonical
/// name (flags have the value "true"). <see cref="CommandTree"/> makes it from System.CommandLine's parse result.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new();

    public List<string> Positional { get; } = new();

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var v) ? v : Array.Empty<string>();

    internal void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = new List<string>();
        list.Add(value);
    }
}
