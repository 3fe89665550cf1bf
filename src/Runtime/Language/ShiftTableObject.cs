using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>
/// The language's `shift_table` value (made by `shift_table(grid)`): a log-normal shift table built once from a data grid.
/// Field: <see cref="Shifts"/>, the tabulated shifts.
/// </summary>
public sealed class ShiftTableObject(LognormalShiftTable table, Tensor shifts)
{
    /// <summary>The table as the cosmology library reads it.</summary>
    public LognormalShiftTable Table { get; } = table;

    /// <summary>The shift at every grid node, [n0, n1, n2, nbins] (the grid's last column).</summary>
    public Tensor Shifts { get; } = shifts;
}
