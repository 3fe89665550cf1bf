namespace Ppl.Runtime.IO;

/// <summary>
/// A problem found in a data file a user supplied (or in writing one). Reading never throws for bad input:
/// readers return these as values so that the command line can report them all with their locations.
/// </summary>
/// <param name="Code">A stable code in the PPL05xx band; an entry of <see cref="DiagnosticCatalogue"/>.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
/// <param name="Path">The file (or a description of the stream) the problem is in.</param>
/// <param name="Line">1-based line, or 0 where a line makes no sense (binary formats).</param>
/// <param name="Column">1-based column, or 0 where a column makes no sense.</param>
public sealed record DataFileError(string Code, string Message, string Path, int Line = 0, int Column = 0)
{
    /// <summary>Formats the error the way compilers do: <c>path:line:column: error CODE: message</c>.</summary>
    public override string ToString()
    {
        var location = Line > 0 ? (Column > 0 ? $"{Path}:{Line}:{Column}" : $"{Path}:{Line}") : Path;
        return $"{location}: error {Code}: {Message}";
    }
}
