using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// The symmetries of a square grid for statistically isotropic fields: each batch is turned by a multiple of 90° and
/// possibly mirrored (one of the eight elements of the dihedral group, chosen by a seeded generator), so the compressor
/// learns summaries that do not depend on the map's orientation. Non-square maps are only mirrored.
/// </summary>
public sealed class MapAugmentation
{
    private readonly Random _random;

    public MapAugmentation(ulong seed) => _random = new Random(unchecked((int)(seed ^ (seed >> 32) ^ 0x2545F491UL)));

    /// <summary>Maps [n, ...site] of <paramref name="shape"/> transformed by one random symmetry (the same for the whole
    /// batch).</summary>
    public Tensor Apply(Tensor maps, MapShape shape)
    {
        int element = _random.Next(8);
        long rows = shape.Channels == ChannelPosition.First ? 2 : 1;
        long columns = rows + 1;
        bool square = shape.Height == shape.Width;
        var turned = square && element % 4 != 0 ? maps.rot90(element % 4, (rows, columns)) : maps;
        return element >= 4 ? turned.flip(columns) : turned;
    }
}
