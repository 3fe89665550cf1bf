namespace Ppl.Cli;

/// <summary>How an option takes its value: a flag takes none, a valued option one, a repeated option one per use.</summary>
public enum OptionKind
{
    Flag,
    Value,
    Repeated,
}

/// <summary>One option of a command: its canonical name (the one commands read), aliases, kind, the name of its value in
/// help (<c>--seed S</c>), its help text, and the values the shell completes it with (not a check: commands check values).</summary>
public sealed record OptionEntry(string Name, IReadOnlyList<string> Aliases, OptionKind Kind, string? ValueName, string Help,
    IReadOnlyList<string> Completions);

/// <summary>
/// The options a command accepts, as a declarative table: flags, valued and repeatable options with help texts. Names are
/// given as in help, e.g. <c>"-o, --output"</c>: the first is the canonical name a command reads with
/// <see cref="CommandLine.Get"/>. <see cref="CommandTree"/> turns the table into a System.CommandLine command.
/// </summary>
public sealed class OptionSpec
{
    private readonly List<OptionEntry> _entries = new();

    public IReadOnlyList<OptionEntry> Entries => _entries;

    public OptionSpec Flag(string names, string help) => Add(names, OptionKind.Flag, null, help, []);

    public OptionSpec Value(string names, string valueName, string help, params string[] completions) =>
        Add(names, OptionKind.Value, valueName, help, completions);

    public OptionSpec Repeated(string names, string valueName, string help) => Add(names, OptionKind.Repeated, valueName, help, []);

    private OptionSpec Add(string names, OptionKind kind, string? valueName, string help, string[] completions)
    {
        var all = names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (all.Length == 0 || all.Any(n => !n.StartsWith('-')))
            throw new ArgumentException($"option names must start with '-': '{names}'", nameof(names));
        if (_entries.Any(e => all.Contains(e.Name) || e.Aliases.Any(all.Contains)))
            throw new ArgumentException($"option '{names}' is declared twice", nameof(names));
        _entries.Add(new OptionEntry(all[0], all[1..], kind, valueName, help, completions));
        return this;
    }

    /// <summary>The entry a name or alias denotes, or null.</summary>
    public OptionEntry? Find(string name) => _entries.FirstOrDefault(e => e.Name == name || e.Aliases.Contains(name));

    /// <summary>Every name and alias (for suggestions).</summary>
    public IEnumerable<string> Names => _entries.SelectMany(e => e.Aliases.Prepend(e.Name));
}

/// <summary>The options several commands share, with one help text each.</summary>
public static class CommonOptions
{
    public static OptionSpec Data(this OptionSpec spec) =>
        spec.Repeated("--data", "FILE", "data: CmdStan JSON, .npz or .npy (repeatable)");

    public static OptionSpec Set(this OptionSpec spec) =>
        spec.Repeated("--set", "NAME=VALUE", "a data value or a conditioned variable: 3, [1, 2], true, @file.npy, @file.npz:entry, @file.h5:dataset (repeatable)");

    public static OptionSpec Float64(this OptionSpec spec) => spec.Flag("--float64", "compute in double precision (default float32)");

    public static OptionSpec Device(this OptionSpec spec) =>
        spec.Value("--device", "DEV", "cpu (default), cuda, cuda:N or auto", "cpu", "cuda", "auto");
}
