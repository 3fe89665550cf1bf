namespace Ppl.Runtime.IO;

/// <summary>The codes of <see cref="DataFileError"/>; the list with explanations is in docs/io-formats.md.</summary>
public static class DataFileErrorCodes
{
    /// <summary>The file does not exist.</summary>
    public const string FileNotFound = "PPL0501";

    /// <summary>The text is not valid JSON (the error carries the line and column).</summary>
    public const string MalformedJson = "PPL0502";

    /// <summary>A nested array is not rectangular (or mixes arrays and scalars at one level).</summary>
    public const string RaggedArray = "PPL0503";

    /// <summary>A JSON value that data cannot hold: null, an object, a string other than inf/NaN.</summary>
    public const string UnsupportedValue = "PPL0504";

    /// <summary>A <c>.npy</c> or <c>.npz</c> file is damaged: bad magic, bad header, truncated data, bad zip.</summary>
    public const string MalformedNpy = "PPL0505";

    /// <summary>A <c>.npy</c> dtype we do not read (strings, objects, structured records, datetimes).</summary>
    public const string UnsupportedDType = "PPL0506";

    /// <summary>A number that does not fit the type it must become (an integer beyond int64, a uint64 above 2^63-1).</summary>
    public const string NumberOutOfRange = "PPL0507";

    /// <summary>A CSV file with a bad cell, a wrong number of fields or no header.</summary>
    public const string MalformedCsv = "PPL0508";

    /// <summary>The operating system refused to read or write a file (permissions, disk full, a folder in the way).</summary>
    public const string InputOutputFailure = "PPL0509";

    /// <summary>A name appears twice in one JSON object or one <c>.npz</c> archive.</summary>
    public const string DuplicateName = "PPL0510";

    /// <summary>An array mixes booleans with numbers.</summary>
    public const string MixedElementTypes = "PPL0511";

    /// <summary>The file's extension names no data format we read.</summary>
    public const string UnknownFormat = "PPL0512";

    /// <summary>An array has more elements than a .NET array can hold (read it as a tensor instead).</summary>
    public const string ArrayTooLarge = "PPL0513";

    /// <summary>An HDF5 file is damaged or not HDF5, or a dataset has a type we do not read (strings, compounds, references).</summary>
    public const string MalformedHdf5 = "PPL0514";

    /// <summary>An append to an HDF5 simulation archive would not continue it: other datasets, event shapes or types,
    /// another seed, or simulation indices that leave a gap or overlap.</summary>
    public const string IncompatibleAppend = "PPL0515";
}
