namespace Ppl.Runtime.IO;

/// <summary>
/// Reads a model's data from a file chosen by its extension: <c>.json</c> (CmdStan-style JSON), <c>.npz</c>
/// (one value per array) or <c>.npy</c> (one value named after the file).
/// </summary>
public static class DataFileReader
{
    /// <summary>Reads all named values from <paramref name="path"/>.</summary>
    public static DataFileResult<IReadOnlyDictionary<string, DataValue>> Read(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".json":
                return JsonDataReader.Read(path);
            case ".npz":
                return NpzReader.ReadAll(path).Bind(arrays => ToValues(arrays.Select(a => (a.Key, a.Value, $"{path}[{a.Key}]"))));
            case ".npy":
                var name = Path.GetFileNameWithoutExtension(path);
                return NpyReader.Read(path).Bind(array => ToValues(new[] { (name, array, path) }));
            default:
                return DataFileResult<IReadOnlyDictionary<string, DataValue>>.Failure(new DataFileError(DiagnosticCatalogue.UnknownFormat,
                    $"cannot tell the format of '{extension}' files; data files end in .json, .npz or .npy", path));
        }
    }

    private static DataFileResult<IReadOnlyDictionary<string, DataValue>> ToValues(IEnumerable<(string Name, NpyArray Array, string Origin)> arrays)
    {
        var values = new OrderedDictionary<string, DataValue>(StringComparer.Ordinal);
        var errors = new List<DataFileError>();
        foreach (var (name, array, origin) in arrays)
        {
            if (array.DType.Kind == NpyTypeKind.Complex)
                errors.Add(new DataFileError(DiagnosticCatalogue.UnsupportedValue, $"'{name}' is complex ({array.Descr}); data values are real, integer or boolean", origin));
            else values.Add(name, new DataValue(array, origin));
        }
        return errors.Count > 0
            ? DataFileResult<IReadOnlyDictionary<string, DataValue>>.Failure(errors)
            : DataFileResult<IReadOnlyDictionary<string, DataValue>>.Success(values);
    }
}
