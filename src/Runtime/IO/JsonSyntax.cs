namespace Ppl.Runtime.IO;

/// <summary>A JSON value with the 1-based line and column where it starts.</summary>
internal abstract record JsonSyntax(int Line, int Column);

/// <summary>
/// A number, kept as written so that integers and reals can be told apart. Also Python's bare <c>NaN</c>,
/// <c>Infinity</c> and <c>-Infinity</c>, which <c>json.dump</c> writes although JSON has no such literals.
/// </summary>
internal sealed record JsonNumberSyntax(string Text, int Line, int Column) : JsonSyntax(Line, Column);

/// <summary>A string, with escapes resolved.</summary>
internal sealed record JsonStringSyntax(string Value, int Line, int Column) : JsonSyntax(Line, Column);

/// <summary><c>true</c> or <c>false</c>.</summary>
internal sealed record JsonBooleanSyntax(bool Value, int Line, int Column) : JsonSyntax(Line, Column);

/// <summary><c>null</c>.</summary>
internal sealed record JsonNullSyntax(int Line, int Column) : JsonSyntax(Line, Column);

/// <summary>An array.</summary>
internal sealed record JsonArraySyntax(IReadOnlyList<JsonSyntax> Items, int Line, int Column) : JsonSyntax(Line, Column);

/// <summary>An object; members keep their order and duplicates (the reader reports those).</summary>
internal sealed record JsonObjectSyntax(IReadOnlyList<(JsonStringSyntax Key, JsonSyntax Value)> Members, int Line, int Column)
    : JsonSyntax(Line, Column);
