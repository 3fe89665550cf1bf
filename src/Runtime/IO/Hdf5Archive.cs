using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace Ppl.Runtime.IO;

/// <summary>Where a block of simulations sits in the stream of a seed: written into an HDF5 archive's attributes so
/// that an append can check that it continues the same stream.</summary>
/// <param name="Seed">The seed of the simulations.</param>
/// <param name="FirstIndex">The global index of the first simulation (`ppl simulate --first-index`).</param>
/// <param name="Model">The model's name.</param>
public sealed record SimulationProvenance(ulong Seed, long FirstIndex, string Model);

/// <summary>
/// Simulations (or any batch-first arrays) as an HDF5 file, through PureHDF (a managed reader and writer; no native
/// HDF5 library): one dataset per array at the root, shape [n, ...event], chunked along the simulation axis (chunks of
/// about 1 MiB, whole rows), optionally deflate-compressed; the root's attributes <c>seed</c>, <c>first_index</c>,
/// <c>count</c> and <c>model</c> record where the block sits in its seed's stream. h5py reads it as
/// <c>f["theta"][...]</c>. Element types: float32, float64, int8–int64, uint8–uint64; booleans are stored as uint8.
/// <para>
/// PureHDF writes whole files and does not modify existing ones, so <see cref="Append"/> rewrites the archive with
/// the new rows after the old (atomically: a temporary file renamed over the original). Writes are atomic as
/// everywhere in this namespace.
/// </para>
/// </summary>
public static class Hdf5Archive
{
    /// <summary>Target size of one chunk in bytes (whole rows; at least one row).</summary>
    public const long ChunkBytes = 1 << 20;

    /// <summary>Writes the arrays (all with the same leading length n) and their provenance, replacing any file.</summary>
    /// <exception cref="ArgumentException">When the arrays are empty, scalars, or differ in leading length (a bug in the caller).</exception>
    public static DataFileResult Write(string path, IReadOnlyList<KeyValuePair<string, NpyArray>> arrays, SimulationProvenance provenance, bool compress = false)
    {
        if (arrays.Count == 0) throw new ArgumentException("An HDF5 archive needs at least one array.", nameof(arrays));
        long n = arrays[0].Value.Shape.Length > 0 ? arrays[0].Value.Shape[0] : throw new ArgumentException("Arrays must be batch-first.", nameof(arrays));
        foreach (var (name, array) in arrays)
            if (array.Rank == 0 || array.Shape[0] != n)
                throw new ArgumentException($"Array '{name}' is not [{n}, ...].", nameof(arrays));
        var file = new H5File();
        foreach (var (name, array) in arrays) file[name] = Dataset(array, compress);
        file.Attributes["seed"] = (long)provenance.Seed;
        file.Attributes["first_index"] = provenance.FirstIndex;
        file.Attributes["count"] = n;
        file.Attributes["model"] = provenance.Model;
        return DataFileAccess.WriteAtomically(path, stream => file.Write(stream));
    }

    /// <summary>
    /// Appends rows to an existing archive: the same datasets with the same event shapes and types, the same seed, and
    /// first index equal to the archive's first index plus its count (so that simulation indices stay contiguous).
    /// A file that does not exist is written as by <see cref="Write"/>.
    /// </summary>
    public static DataFileResult Append(string path, IReadOnlyList<KeyValuePair<string, NpyArray>> arrays, SimulationProvenance provenance, bool compress = false)
    {
        if (!File.Exists(path)) return Write(path, arrays, provenance, compress);
        var existing = Read(path);
        if (!existing.Succeeded) return existing;
        var (old, oldProvenance) = existing.Value;
        DataFileResult Incompatible(string message) =>
            DataFileResult.Failure(new DataFileError(DiagnosticCatalogue.IncompatibleAppend, message, path));
        if (oldProvenance is null) return Incompatible("the file has no seed, first_index and count attributes: it was not written by ppl simulate");
        if (oldProvenance.Seed != provenance.Seed)
            return Incompatible($"the file holds simulations of seed {oldProvenance.Seed}; appending seed {provenance.Seed} would mix two streams");
        long end = oldProvenance.FirstIndex + old.Values.First().Shape[0];
        if (provenance.FirstIndex != end)
            return Incompatible($"the file holds simulations {oldProvenance.FirstIndex} to {end - 1}; the appended ones must start at {end}, not {provenance.FirstIndex}");
        var names = arrays.Select(a => a.Key).ToList();
        if (!names.ToHashSet().SetEquals(old.Keys))
            return Incompatible($"the file has datasets {string.Join(", ", old.Keys)}; the new simulations have {string.Join(", ", names)}");
        var merged = new List<KeyValuePair<string, NpyArray>>();
        foreach (var (name, given) in arrays)
        {
            var array = Stored(given);
            var before = old[name];
            if (!before.Shape.Skip(1).SequenceEqual(array.Shape.Skip(1)) || before.DType.ElementType != array.DType.ElementType)
                return Incompatible($"dataset '{name}' is {Describe(before)} in the file and {Describe(array)} in the new simulations");
            merged.Add(new(name, Concatenate(before, array)));
        }
        return Write(path, merged, oldProvenance, compress);
    }

    /// <summary>Reads every dataset at the root (in file order) and the provenance attributes (null when absent).</summary>
    public static DataFileResult<(IReadOnlyDictionary<string, NpyArray> Arrays, SimulationProvenance? Provenance)> Read(string path) =>
        Open(path, file =>
        {
            var arrays = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var child in file.Children())
                if (child is IH5Dataset dataset)
                {
                    var read = ReadDataset(dataset, path);
                    if (!read.Succeeded) return DataFileResult<(IReadOnlyDictionary<string, NpyArray>, SimulationProvenance?)>.Failure(read.Errors);
                    arrays.Add(child.Name, read.Value);
                }
            if (arrays.Count == 0)
                return DataFileResult<(IReadOnlyDictionary<string, NpyArray>, SimulationProvenance?)>.Failure(
                    new DataFileError(DiagnosticCatalogue.MalformedHdf5, "the file has no dataset at its root", path));
            SimulationProvenance? provenance = null;
            if (file.AttributeExists("seed") && file.AttributeExists("first_index"))
                provenance = new SimulationProvenance((ulong)file.Attribute("seed").Read<long>(), file.Attribute("first_index").Read<long>(),
                    file.AttributeExists("model") ? file.Attribute("model").Read<string>() : "");
            return DataFileResult<(IReadOnlyDictionary<string, NpyArray>, SimulationProvenance?)>.Success((arrays, provenance));
        });

    /// <summary>The provenance attributes and the number of rows of an archive written by <see cref="Write"/> (null
    /// provenance when the attributes are absent), without reading its data.</summary>
    public static DataFileResult<(SimulationProvenance? Provenance, long Count)> ReadProvenance(string path) =>
        Open(path, file =>
        {
            var first = file.Children().OfType<IH5Dataset>().FirstOrDefault();
            long count = first is null || first.Space.Dimensions.Length == 0 ? 0 : (long)first.Space.Dimensions[0];
            SimulationProvenance? provenance = null;
            if (file.AttributeExists("seed") && file.AttributeExists("first_index"))
                provenance = new SimulationProvenance((ulong)file.Attribute("seed").Read<long>(), file.Attribute("first_index").Read<long>(),
                    file.AttributeExists("model") ? file.Attribute("model").Read<string>() : "");
            return DataFileResult<(SimulationProvenance?, long)>.Success((provenance, count));
        });

    /// <summary>Reads every dataset as a CPU tensor (see <see cref="NpyArray.ToTensor"/>); the caller owns them.</summary>
    public static DataFileResult<IReadOnlyDictionary<string, TorchSharp.torch.Tensor>> ReadAllTensors(string path)
    {
        var read = Read(path);
        if (!read.Succeeded) return DataFileResult<IReadOnlyDictionary<string, TorchSharp.torch.Tensor>>.Failure(read.Errors);
        var tensors = new OrderedDictionary<string, TorchSharp.torch.Tensor>(StringComparer.Ordinal);
        foreach (var (name, array) in read.Value.Arrays) tensors.Add(name, array.ToTensor());
        return DataFileResult<IReadOnlyDictionary<string, TorchSharp.torch.Tensor>>.Success(tensors);
    }

    /// <summary>Reads one dataset by its path in the file (<c>theta</c> or <c>group/theta</c>).</summary>
    public static DataFileResult<NpyArray> ReadDataset(string path, string dataset) =>
        Open(path, file =>
        {
            if (!file.LinkExists(dataset))
                return DataFileResult<NpyArray>.Failure(new DataFileError(DiagnosticCatalogue.MalformedHdf5,
                    $"the file has no dataset '{dataset}' (it has {string.Join(", ", file.Children().Select(c => c.Name))})", path));
            return ReadDataset(file.Dataset(dataset), path);
        });

    /// <summary>Whether a path names an HDF5 file by its extension (.h5 or .hdf5).</summary>
    public static bool IsHdf5Path(string path) =>
        path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase);

    private static H5Dataset Dataset(NpyArray array, bool compress)
    {
        var shape = array.Shape;
        long rowElements = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        long rowBytes = Math.Max(1, rowElements * array.DType.ItemSize);
        uint rows = (uint)Math.Clamp(ChunkBytes / rowBytes, 1, Math.Max(1, shape[0]));
        var chunks = shape.Select((d, k) => k == 0 ? rows : (uint)Math.Max(1, d)).ToArray();
        return new H5Dataset(Stored(array).Data, chunks: chunks, fileDims: shape.Select(d => (ulong)d).ToArray(),
            datasetCreation: compress ? new H5DatasetCreation(Filters: [DeflateFilter.Id]) : default);
    }

    private static DataFileResult<NpyArray> ReadDataset(IH5Dataset dataset, string path)
    {
        var shape = dataset.Space.Dimensions.Select(d => (long)d).ToArray();
        var type = dataset.Type;
        NpyArray? array = (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => NpyArray.Create(dataset.Read<float[]>(), shape),
            (H5DataTypeClass.FloatingPoint, 8) => NpyArray.Create(dataset.Read<double[]>(), shape),
            (H5DataTypeClass.FixedPoint, 1) => type.FixedPoint.IsSigned ? NpyArray.Create(dataset.Read<sbyte[]>(), shape) : NpyArray.Create(dataset.Read<byte[]>(), shape),
            (H5DataTypeClass.FixedPoint, 2) => type.FixedPoint.IsSigned ? NpyArray.Create(dataset.Read<short[]>(), shape) : NpyArray.Create(dataset.Read<ushort[]>(), shape),
            (H5DataTypeClass.FixedPoint, 4) => type.FixedPoint.IsSigned ? NpyArray.Create(dataset.Read<int[]>(), shape) : NpyArray.Create(dataset.Read<uint[]>(), shape),
            (H5DataTypeClass.FixedPoint, 8) => type.FixedPoint.IsSigned ? NpyArray.Create(dataset.Read<long[]>(), shape) : NpyArray.Create(dataset.Read<ulong[]>(), shape),
            _ => null,
        };
        return array is null
            ? DataFileResult<NpyArray>.Failure(new DataFileError(DiagnosticCatalogue.MalformedHdf5,
                $"dataset '{dataset.Name}' has HDF5 type {type.Class} of {type.Size} bytes; numeric datasets (integers, float32, float64) are read", path))
            : DataFileResult<NpyArray>.Success(array);
    }

    /// <summary>Opens the file and runs <paramref name="read"/>; PureHDF's exceptions on a damaged or foreign file
    /// become <see cref="DiagnosticCatalogue.MalformedHdf5"/> values (the library boundary of this reader).</summary>
    private static DataFileResult<T> Open<T>(string path, Func<NativeFile, DataFileResult<T>> read) =>
        DataFileAccess.ReadFile(path, stream =>
        {
            if (Hdf5EndOfFile.Stored(stream) is { } end && end > stream.Length)
                return DataFileResult<T>.Failure(new DataFileError(DiagnosticCatalogue.MalformedHdf5,
                    $"the file is truncated: {stream.Length} bytes of the {end} its superblock records", path));
            try
            {
                using var file = H5File.Open(stream, leaveOpen: true);
                return read(file);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or IOException or UnauthorizedAccessException or OperationCanceledException))
            {
                return DataFileResult<T>.Failure(new DataFileError(DiagnosticCatalogue.MalformedHdf5, $"not a readable HDF5 file: {e.Message}", path));
            }
        });

    /// <summary>The array as it is stored: booleans become uint8 (0 or 1), everything else as it is.</summary>
    private static NpyArray Stored(NpyArray array) =>
        array.DType.Kind == NpyTypeKind.Boolean
            ? new NpyArray(NpyDType.UInt8, array.Shape, array.ToBooleanArray().Select(b => b ? (byte)1 : (byte)0).ToArray())
            : array;

    private static NpyArray Concatenate(NpyArray first, NpyArray second)
    {
        var data = Array.CreateInstance(first.DType.ElementType, first.ElementCount + second.ElementCount);
        Array.Copy(first.Data, 0, data, 0, first.ElementCount);
        Array.Copy(second.Data, 0, data, first.ElementCount, second.ElementCount);
        var shape = first.Shape;
        shape[0] += second.Shape[0];
        return new NpyArray(first.DType, shape, data);
    }

    private static string Describe(NpyArray array) => $"{array.DType.ElementType.Name} [n, {string.Join(", ", array.Shape.Skip(1))}]";
}
