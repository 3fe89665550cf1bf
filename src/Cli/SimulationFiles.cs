using Ppl.Runtime.IO;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// The files of simulations `ppl simulate` writes and `ppl train --from` reads: a NumPy archive (<c>.npz</c>) or an
/// HDF5 archive (<c>.h5</c>, <c>.hdf5</c>; see <see cref="Hdf5Archive"/>), chosen by the extension.
/// </summary>
public static class SimulationFiles
{
    /// <summary>Writes the simulations; an HDF5 output may be appended to (<paramref name="append"/>).</summary>
    public static DataFileResult Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> arrays, bool compress, bool append,
        SimulationProvenance provenance)
    {
        if (!Hdf5Archive.IsHdf5Path(path)) return NpzWriter.Write(path, arrays, compress);
        var converted = arrays.Select(a => KeyValuePair.Create(a.Key, NpyArray.FromTensor(a.Value))).ToList();
        return append ? Hdf5Archive.Append(path, converted, provenance, compress) : Hdf5Archive.Write(path, converted, provenance, compress);
    }

    /// <summary>Reads every array of a simulation file as CPU tensors; the caller owns them.</summary>
    public static DataFileResult<IReadOnlyDictionary<string, Tensor>> ReadAllTensors(string path) =>
        Hdf5Archive.IsHdf5Path(path) ? Hdf5Archive.ReadAllTensors(path) : NpzReader.ReadAllTensors(path);

    /// <summary>
    /// Where an appended block starts — the archive's first index plus its count, or 0 when the file does not exist yet —
    /// and the archive's seed (null for a new file), read before simulating so that an append that cannot continue the
    /// archive is refused before any work.
    /// </summary>
    public static DataFileResult<(long Start, ulong? Seed)> AppendStart(string path)
    {
        if (!File.Exists(path)) return DataFileResult<(long, ulong?)>.Success((0, null));
        var read = Hdf5Archive.ReadProvenance(path);
        if (!read.Succeeded) return DataFileResult<(long, ulong?)>.Failure(read.Errors);
        var (provenance, count) = read.Value;
        if (provenance is null)
            return DataFileResult<(long, ulong?)>.Failure(new DataFileError(DiagnosticCatalogue.IncompatibleAppend,
                "the file has no seed, first_index and count attributes: it was not written by ppl simulate", path));
        return DataFileResult<(long, ulong?)>.Success((provenance.FirstIndex + count, provenance.Seed));
    }
}
