using Ppl.Runtime.Plotting;

namespace Ppl.Runtime.Tests.Plotting;

public class DensityGridTests
{
    [Fact]
    public void GaussianContoursAreCirclesOfTheRightRadius()
    {
        // For a standard 2-d Gaussian the highest-density region holding mass 1 - exp(-r²/2) is the disc of radius r.
        // 40 000 seeded draws; smoothing by one 0.2-wide bin widens the distribution by a factor sqrt(1.04) ≈ 1.02.
        // The mean contour radius should be within 6% of r: sampling noise of the radius is about 1%.
        var random = new Random(42);
        int n = 40_000;
        var xs = new double[n];
        var ys = new double[n];
        for (int i = 0; i < n; i++)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), angle = 2 * Math.PI * random.NextDouble();
            xs[i] = radius * Math.Cos(angle);
            ys[i] = radius * Math.Sin(angle);
        }
        var grid = DensityGrid.Build(xs, ys, 40, (-4, 4), (-4, 4), smoothing: 1);
        var levels = new[] { 1 - Math.Exp(-0.5), 1 - Math.Exp(-2.0) };
        var thresholds = grid.Thresholds(levels);
        Assert.True(thresholds[0] > thresholds[1]);
        for (int k = 0; k < 2; k++)
        {
            var segments = grid.Contour(thresholds[k]);
            Assert.NotEmpty(segments);
            var radii = segments.SelectMany(s => new[] { s.A, s.B }).Select(p => Math.Sqrt(p.X * p.X + p.Y * p.Y)).ToArray();
            double expected = (k + 1) * 1.02;
            Assert.InRange(radii.Average(), expected * 0.94, expected * 1.06);
            // A circle, not some other closed curve: the radius varies little around it.
            Assert.True(radii.Max() - radii.Min() < 0.35 * expected);
        }
        Assert.True(grid.ValueAt(0, 0) > grid.ValueAt(1.5, 0));
        Assert.Equal(0, grid.ValueAt(100, 0));
    }

    [Fact]
    public void ContoursAreClosedCurves()
    {
        // Every segment end meets another segment's end (marching squares on a zero-padded grid closes contours).
        var random = new Random(7);
        var xs = Enumerable.Range(0, 3000).Select(_ => random.NextDouble() * 0.5).ToArray();
        var ys = Enumerable.Range(0, 3000).Select(_ => random.NextDouble()).ToArray();
        var grid = DensityGrid.Build(xs, ys, 20, (0, 1), (0, 1), smoothing: 1);
        var segments = grid.Contour(grid.Thresholds(new[] { 0.9 })[0]);
        var ends = segments.SelectMany(s => new[] { s.A, s.B })
            .GroupBy(p => (Math.Round(p.X, 9), Math.Round(p.Y, 9)))
            .Select(g => g.Count());
        Assert.All(ends, count => Assert.Equal(0, count % 2));
    }

    [Fact]
    public void EmptyGridHasNoContours()
    {
        var grid = DensityGrid.Build(new[] { 5.0 }, new[] { 5.0 }, 10, (0, 1), (0, 1), 1);
        Assert.Equal(0, grid.Total);
        var thresholds = grid.Thresholds(new[] { 0.5 });
        Assert.Equal(double.PositiveInfinity, thresholds[0]);
        Assert.Empty(grid.Contour(thresholds[0]));
    }
}
