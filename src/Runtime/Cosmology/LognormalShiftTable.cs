using System.Collections.Concurrent;
using Ppl.Runtime.IO;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// The log-normal shift parameters λ_i(Ω_m, σ_8, w_0) of each redshift bin, tabulated on a 3-D parameter grid
/// (sbi_lens's <c>lognormal_shifts_*_om_s8_w_bin.npy</c>: shape (n0, n1, n2, nbins, 5), whose last axis holds the node's
/// (Ω_m, σ_8, w_0, bin, shift)), and read by trilinear interpolation — piecewise linear, so differentiable.
/// </summary>
public sealed class LognormalShiftTable
{
    private readonly double[] _values;
    private readonly long[] _shape;
    private readonly double[] _min = new double[3];
    private readonly double[] _max = new double[3];
    private readonly int[] _parameterOfAxis = new int[3];
    private readonly ConcurrentDictionary<(ScalarType, DeviceType, int), Tensor> _shifts = new();

    private LognormalShiftTable(double[] values, long[] shape)
    {
        _values = values;
        _shape = shape;
        for (int p = 0; p < 3; p++)
        {
            _min[p] = double.PositiveInfinity;
            _max[p] = double.NegativeInfinity;
            for (long i = p; i < values.Length; i += 5)
            {
                _min[p] = Math.Min(_min[p], values[i]);
                _max[p] = Math.Max(_max[p], values[i]);
            }
        }
        // Which parameter column changes along each array axis (the corrected lookup needs it).
        for (int axis = 0; axis < 3; axis++)
        {
            long stride = Stride(axis);
            _parameterOfAxis[axis] = Enumerable.Range(0, 3).OrderByDescending(p => Math.Abs(values[stride + p] - values[p])).First();
        }
    }

    /// <summary>Number of redshift bins.</summary>
    public int BinCount => (int)_shape[3];

    /// <summary>Grid nodes of Ω_m, σ_8 and w_0 (in that order), as stored in the table.</summary>
    public double[][] ParameterNodes => Enumerable.Range(0, 3).Select(p =>
    {
        int axis = Array.IndexOf(_parameterOfAxis, p);
        return Enumerable.Range(0, (int)_shape[axis]).Select(i => _values[i * Stride(axis) + p]).ToArray();
    }).ToArray();

    /// <summary>
    /// Reads a table from a .npy file (any float type). Returns false, with the reason, if the file is missing,
    /// unreadable or not such a table; the file errors are <see cref="NpyReader"/>'s, with their PPL05xx codes.
    /// </summary>
    public static bool TryLoad(string path, out LognormalShiftTable? table, out string? error)
    {
        table = null;
        var read = NpyReader.Read(path);
        if (!read.Succeeded)
        {
            error = read.ToString();
            return false;
        }
        var array = read.Value;
        if (array.DType.Kind != NpyTypeKind.Float)
        {
            error = $"{path}: a shift table holds floating-point numbers, not {array.Descr}";
            return false;
        }
        if (!TryCreate(array.ToDoubleArray(), array.Shape, out table, out error))
        {
            error = $"{path}: {error}";
            return false;
        }
        return true;
    }

    /// <summary>Name of the embedded copy of sbi_lens's LSST Y10 table (see Data/NOTICE.md).</summary>
    private const string LsstY10Resource = "Ppl.Runtime.Cosmology.lognormal_shifts_LSSTY10_om_s8_w_bin.npy";

    private static readonly Lazy<(double[] Values, long[] Shape)> LsstY10Data = new(() =>
    {
        using var stream = typeof(LognormalShiftTable).Assembly.GetManifestResourceStream(LsstY10Resource)
            ?? throw new InvalidOperationException($"the assembly lacks its embedded resource {LsstY10Resource}");
        var read = NpyReader.Read(stream, LsstY10Resource);
        if (!read.Succeeded) throw new InvalidOperationException($"the embedded shift table is unreadable: {read}");
        return (read.Value.ToDoubleArray(), read.Value.Shape);
    });

    /// <summary>
    /// The LSST Y10 benchmark's table, shipped with the library (sbi_lens's
    /// <c>lognormal_shifts_LSSTY10_om_s8_w_bin.npy</c>, MIT licence): shape (8, 8, 8, 5, 5) over Ω_m ∈ [0.1, 0.9],
    /// σ_8 ∈ [0.3, 1.3], w_0 ∈ [−2, −0.3] and five bins.
    /// </summary>
    public static LognormalShiftTable LsstY10() => new(LsstY10Data.Value.Values, LsstY10Data.Value.Shape);

    /// <summary>The LSST Y10 table's raw values in C order, shape (8, 8, 8, 5, 5) (a copy).</summary>
    public static (double[] Values, long[] Shape) LsstY10Grid() => ((double[])LsstY10Data.Value.Values.Clone(), (long[])LsstY10Data.Value.Shape.Clone());

    /// <summary>Builds a table from values in C order with shape (n0, n1, n2, nbins, 5); false, with the reason, if the shape is
    /// wrong or the grid's parameters do not increase, one along each of the first three axes.</summary>
    public static bool TryCreate(double[] values, long[] shape, out LognormalShiftTable? table, out string? error)
    {
        table = null;
        error = null;
        if (shape.Length != 5 || shape[4] != 5 || shape.Take(3).Any(n => n < 2) || shape[3] < 1
            || values.Length != shape.Aggregate(1L, (p, n) => p * n))
        {
            error = $"a shift table has shape (n0, n1, n2, nbins, 5) with n ≥ 2; got ({string.Join(", ", shape)}) and {values.Length} values";
            return false;
        }
        var candidate = new LognormalShiftTable(values, shape);
        if (candidate._parameterOfAxis.Distinct().Count() != 3)
        {
            error = "a shift table's Ω_m, σ_8 and w_0 must each vary along one of its first three axes";
            return false;
        }
        string[] names = ["Ω_m", "σ_8", "w_0"];
        var nodes = candidate.ParameterNodes;
        for (int p = 0; p < 3; p++)
            for (int i = 1; i < nodes[p].Length; i++)
                if (!(nodes[p][i] > nodes[p][i - 1]))
                {
                    error = $"a shift table's {names[p]} nodes must increase along their axis ({string.Join(", ", nodes[p])})";
                    return false;
                }
        table = candidate;
        return true;
    }

    /// <summary>λ for each cosmology of the batch: [B, nbins].</summary>
    public Tensor Lookup(CosmologyParameters c, ShiftLookup mode = ShiftLookup.Reference)
    {
        using var scope = NewDisposeScope();
        return Lookup(c.OmegaM, c.Sigma8, c.W0, mode).MoveToOuterDisposeScope();
    }

    /// <summary>λ at [B] tensors of Ω_m, σ_8 and w_0 (one floating type and device): [B, nbins].</summary>
    public Tensor Lookup(Tensor omegaM, Tensor sigma8, Tensor w0, ShiftLookup mode = ShiftLookup.Reference)
    {
        using var scope = NewDisposeScope();
        var theta = new[] { omegaM, sigma8, w0 };
        var coordinates = new Tensor[3];
        for (int axis = 0; axis < 3; axis++)
        {
            long n = _shape[axis];
            if (mode == ShiftLookup.Reference)
            {
                coordinates[axis] = TensorArithmetic.Sub(TensorArithmetic.Mul(TensorArithmetic.Div((TensorArithmetic.Sub(theta[axis], _min[axis])), (_max[axis] - _min[axis])), n), 0.5);
            }
            else
            {
                int p = _parameterOfAxis[axis];
                double first = _values[p], last = _values[(n - 1) * Stride(axis) + p];
                coordinates[axis] = TensorArithmetic.Mul(TensorArithmetic.Div((TensorArithmetic.Sub(theta[p], first)), (last - first)), (n - 1));
            }
        }
        var table = ShiftsOn(omegaM.dtype, omegaM.device);
        Tensor? result = null;
        var lower = coordinates.Select(x => x.floor()).ToArray();
        var fraction = coordinates.Select((x, i) => x - lower[i]).ToArray();
        var lowerIndex = lower.Select(x => x.to(ScalarType.Int64)).ToArray();
        long[] nodeStride = [_shape[1] * _shape[2], _shape[2], 1];
        for (int corner = 0; corner < 8; corner++)
        {
            Tensor? weight = null;
            Tensor? flat = null;
            for (int axis = 0; axis < 3; axis++)
            {
                bool upper = ((corner >> axis) & 1) == 1;
                using var keptScalar7 = (_shape[axis] - 1).ToScalar();
                var index = (upper ? TensorArithmetic.Add(lowerIndex[axis], 1) : lowerIndex[axis]).clamp(ConstantScalars.Of(0), keptScalar7);
                var w = upper ? fraction[axis] : TensorArithmetic.Sub(1.0, fraction[axis]);
                weight = weight is null ? w : weight * w;
                var term = TensorArithmetic.Mul(index, nodeStride[axis]);
                flat = flat is null ? term : TensorArithmetic.Add(flat, term);
            }
            var contribution = table.index_select(0, flat!) * weight!.unsqueeze(-1);
            result = result is null ? contribution : TensorArithmetic.Add(result, contribution);
        }
        return result!.MoveToOuterDisposeScope();
    }

    /// <summary>Element stride of array axis <paramref name="axis"/> (0–2) in the flat value array.</summary>
    private long Stride(int axis)
    {
        long s = 5 * _shape[3];
        for (int a = 2; a > axis; a--) s *= _shape[a];
        return s;
    }

    /// <summary>The shift column as a [n0·n1·n2, nbins] tensor, cached per type and device (detached from dispose scopes).</summary>
    private Tensor ShiftsOn(ScalarType dtype, Device device) =>
        _shifts.GetOrAdd((dtype, device.type, device.index), _ =>
        {
            long nodes = _shape[0] * _shape[1] * _shape[2];
            var shifts = new double[nodes * _shape[3]];
            for (long i = 0; i < shifts.Length; i++) shifts[i] = _values[i * 5 + 4];
            return tensor(shifts, dtype: dtype, device: device).reshape(nodes, _shape[3]).DetachFromDisposeScope();
        });
}
