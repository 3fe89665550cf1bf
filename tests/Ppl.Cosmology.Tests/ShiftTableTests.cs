using Ppl.Diagnostics;
using Ppl.Runtime.Cosmology;
using Ppl.Runtime.IO;
using Ppl.Tests.Shared;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Cosmology.Tests;

public class ShiftTableTests
{
    private static readonly JaxCosmoReference Reference = JaxCosmoReference.Load();

    internal static LognormalShiftTable LoadTable()
    {
        var path = ReferenceData.ShiftTable;
        Assert.True(LognormalShiftTable.TryLoad(path, out var table, out var error), error);
        return table!;
    }

    [Fact]
    public void ReferenceLookupReproducesSbiLensFiducialShifts()
    {
        // sbi_lens runs the lookup in float32; its coordinates carry ~1e-7 relative round-off, which moves the
        // interpolated shift by well under 1e-6 relative. We compute in float64 and allow 1e-6.
        using var scope = NewDisposeScope();
        var table = LoadTable();
        var c = CosmologyParameters.FromValues(new[] { ReferenceCosmologies.Fiducial }, ScalarType.Float64);
        var shifts = table.Lookup(c);
        Assert.Equal(new long[] { 1, 5 }, shifts.shape);
        BackgroundAndPowerTests.AssertAllRelative(Reference.FiducialShifts, shifts, 1e-6);
        // float32 end to end stays at float32 precision.
        var c32 = CosmologyParameters.FromValues(new[] { ReferenceCosmologies.Fiducial });
        BackgroundAndPowerTests.AssertAllRelative(Reference.FiducialShifts, table.Lookup(c32), 1e-5);
    }

    [Fact]
    public void ParameterNodesSpanTheTableRanges()
    {
        var nodes = LoadTable().ParameterNodes;
        Assert.Equal(8, nodes[0].Length);
        Assert.Equal(0.1, nodes[0][0], 12);
        Assert.Equal(0.9, nodes[0][7], 12);
        Assert.Equal(0.3, nodes[1][0], 12);
        Assert.Equal(1.3, nodes[1][7], 12);
        Assert.Equal(-2.0, nodes[2][0], 12);
        Assert.Equal(-0.3, nodes[2][7], 12);
    }

    [Fact]
    public void CorrectedLookupHitsGridNodesExactly()
    {
        // At a node, trilinear interpolation returns the node's value; the node (Ω_m, σ_8, w) = (nodes[0][2], nodes[1][5], nodes[2][3]).
        using var scope = NewDisposeScope();
        var table = LoadTable();
        var nodes = table.ParameterNodes;
        var atNode = table.Lookup(tensor(new[] { nodes[0][2] }, dtype: ScalarType.Float64), tensor(new[] { nodes[1][5] }, dtype: ScalarType.Float64),
            tensor(new[] { nodes[2][3] }, dtype: ScalarType.Float64), ShiftLookup.Corrected).data<double>().ToArray();
        // The stored value: axis 0 is σ_8 (index 5), axis 1 Ω_m (index 2), axis 2 w (index 3).
        var raw = ReadRawShifts();
        for (int bin = 0; bin < 5; bin++) Assert.Equal(raw[(((5 * 8 + 2) * 8 + 3) * 5 + bin) * 5 + 4], atNode[bin], 12);
    }

    [Fact]
    public void CorrectedAndReferenceLookupsDifferAtTheFiducial()
    {
        using var scope = NewDisposeScope();
        var table = LoadTable();
        var c = CosmologyParameters.FromValues(new[] { ReferenceCosmologies.Fiducial }, ScalarType.Float64);
        var reference = table.Lookup(c).data<double>().ToArray();
        var corrected = table.Lookup(c, ShiftLookup.Corrected).data<double>().ToArray();
        // The swapped axes and half-cell offset make the reference shifts 18–34% larger than the corrected ones here
        // (measured: 0.00706 vs 0.00527 in bin 0, 0.1148 vs 0.0975 in bin 4); the two must differ.
        for (int i = 0; i < 5; i++) Assert.True(Math.Abs(corrected[i] / reference[i] - 1) > 0.05, $"bin {i}: {corrected[i]} vs {reference[i]}");
    }

    [Theory]
    [InlineData(ShiftLookup.Reference)]
    [InlineData(ShiftLookup.Corrected)]
    public void LookupIsDifferentiableAndPiecewiseLinear(ShiftLookup mode)
    {
        // Inside one grid cell the interpolant is multilinear, so central differences are exact up to round-off (1e-8 step, float64).
        using var scope = NewDisposeScope();
        var table = LoadTable();
        var theta = tensor(new[] { 0.3156, 0.831, -1.0 }, dtype: ScalarType.Float64).requires_grad_(true);
        var weights = tensor(new[] { 1.0, -2.0, 0.5, 3.0, 1.5 }, dtype: ScalarType.Float64);
        Tensor F(Tensor t) => (table.Lookup(t[0].reshape(1), t[1].reshape(1), t[2].reshape(1), mode) * weights).sum();
        var grad = torch.autograd.grad(new[] { F(theta) }, new[] { theta })[0].data<double>().ToArray();
        using (no_grad())
        {
            for (int p = 0; p < 3; p++)
            {
                var e = zeros(3, dtype: ScalarType.Float64);
                e[p] = 1e-6;
                double fd = (F(TensorArithmetic.Add(theta, e)).item<double>() - F(theta - e).item<double>()) / 2e-6;
                Assert.Equal(fd, grad[p], 6);
                Assert.NotEqual(0.0, grad[p]);
            }
        }
    }

    [Fact]
    public void OutOfRangeValuesClampToTheEdge()
    {
        using var scope = NewDisposeScope();
        var table = LoadTable();
        Tensor At(double om) => table.Lookup(tensor(new[] { om }, dtype: ScalarType.Float64), tensor(new[] { 0.8 }, dtype: ScalarType.Float64),
            tensor(new[] { -1.0 }, dtype: ScalarType.Float64));
        // Beyond the edge the interpolation weights still sum to one over equal values: equal up to round-off.
        Assert.True((At(0.0) - At(0.05)).abs().max().item<double>() < 1e-15);
        Assert.True((At(1.5) - At(2.0)).abs().max().item<double>() < 1e-15);
        Assert.True((At(0.3) - At(0.05)).abs().max().item<double>() > 1e-4);
    }

    [Fact]
    public void MalformedFilesAreReportedNotThrown()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-shift-table.npy");
        Assert.False(LognormalShiftTable.TryLoad(missing, out _, out var error));
        Assert.Contains(DiagnosticCatalogue.FileNotFound, error);
        var bogus = Path.GetTempFileName();
        File.WriteAllBytes(bogus, new byte[] { 1, 2, 3 });
        Assert.False(LognormalShiftTable.TryLoad(bogus, out _, out error));
        Assert.Contains(DiagnosticCatalogue.MalformedNpy, error);
        File.Delete(bogus);
        // A well-formed .npy of the wrong shape is refused with the shape in the message.
        var wrongShape = Path.GetTempFileName();
        var written = NpyWriter.Write(wrongShape, NpyArray.Create(new double[10], 2, 5));
        Assert.True(written.Succeeded, written.ToString());
        Assert.False(LognormalShiftTable.TryLoad(wrongShape, out _, out error));
        Assert.Contains("(2, 5)", error);
        File.Delete(wrongShape);
        Assert.False(LognormalShiftTable.TryCreate(new double[10], new long[] { 2, 5 }, out _, out error));
        Assert.Contains("got (2, 5)", error);
    }

    private static double[] ReadRawShifts()
    {
        var read = NpyReader.Read(ReferenceData.ShiftTable);
        Assert.True(read.Succeeded, read.ToString());
        return read.Value.ToDoubleArray();
    }
}
