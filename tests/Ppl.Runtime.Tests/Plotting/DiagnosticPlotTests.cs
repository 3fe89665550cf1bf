using Ppl.Runtime.Plotting;
using Ppl.Runtime.Sbi;
using ScottPlot;

namespace Ppl.Runtime.Tests.Plotting;

/// <summary>Trace, rank, energy, SBC, coverage and loss plots: sizes, and pixels where the layout fixes them.</summary>
public class DiagnosticPlotTests
{
    private static readonly Color Chain0 = FigureStyle.Palette[0];
    private static readonly Color Chain1 = FigureStyle.Palette[1];

    [Fact]
    public void TracePlotDrawsAConstantChainAcrossTheMiddleOfItsPanel()
    {
        var chain = Enumerable.Range(0, 200).Select(_ => new[] { 1.0, 2.0 }).ToArray();
        var png = PngPixels.Decode(TracePlot.Render(new ChainDraws(["a", "b"], [chain])).Png);
        // Two rows of 110 + 50 pixels; a trace panel of 560 + 88 and a density column of 180 + 24.
        Assert.Equal((648 + 204, 2 * 160), (png.Width, png.Height));
        // The constant trace sits at the middle of the first row's data area (76 ≤ x < 636, 10 ≤ y < 120).
        int middle = 10 + 55;
        // (The line is 80 % opaque over white: antialiased over two rows, within 140 of the chain's colour; white is 471 away, the grid 354, the frame 155.)
        Assert.True(png.CountNear(Chain0.R, Chain0.G, Chain0.B, 140, 100, middle - 2, 600, middle + 3) > 400);
        Assert.Equal(0, png.CountNear(Chain0.R, Chain0.G, Chain0.B, 140, 100, 14, 600, middle - 6));
    }

    [Fact]
    public void RankPlotSeparatesAChainThatSitsAboveTheOthers()
    {
        // Chain 0 holds the 300 lowest values, chain 1 the 300 highest: every rank of chain 0 is below every rank of chain 1.
        var low = Enumerable.Range(0, 300).Select(i => new[] { (double)i }).ToArray();
        var high = Enumerable.Range(300, 300).Select(i => new[] { (double)i }).ToArray();
        var draws = new ChainDraws(["x"], [low, high]);
        var ranks = RankPlot.Ranks(draws, 0);
        Assert.Equal(Enumerable.Range(0, 300), ranks[0]);
        Assert.Equal(Enumerable.Range(300, 300), ranks[1]);
        var png = PngPixels.Decode(RankPlot.Render(draws).Png);
        Assert.Equal((62 + 260 + 24, 8 + 150 + 46), (png.Width, png.Height));
        // Chain 0's histogram is high over the left half of the axis (x data area 62..322) and chain 1's over the right.
        int top = 8 + 40;
        Assert.True(png.CountNear(Chain0.R, Chain0.G, Chain0.B, 40, 64, 8, 190, top) > 50);
        Assert.Equal(0, png.CountNear(Chain0.R, Chain0.G, Chain0.B, 40, 196, 8, 320, top));
        Assert.True(png.CountNear(Chain1.R, Chain1.G, Chain1.B, 40, 196, 8, 320, top) > 50);
    }

    [Fact]
    public void EnergyPlotShowsBothHistograms()
    {
        var random = new Random(4);
        var energy = Enumerable.Range(0, 2).Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, 400).Select(_ => 5 + random.NextDouble()).ToArray()).ToList();
        var png = PngPixels.Decode(EnergyPlot.Render(energy, "energy").Png);
        Assert.Equal((60 + 520 + 16, 36 + 10 + 300 + 48), (png.Width, png.Height));
        Assert.True(png.CountNear(Chain0.R, Chain0.G, Chain0.B, 30) > 100);
        Assert.True(png.CountNear(Chain1.R, Chain1.G, Chain1.B, 30) > 100);
    }

    [Fact]
    public void SbcBinomialBandAndBins()
    {
        // Binomial(100, 0.1): P(X ≤ 2) = 0.0019 < 0.005 ≤ P(X ≤ 3) = 0.0078; P(X ≤ 17) = 0.9900 < 0.995 ≤ P(X ≤ 18) = 0.9954.
        Assert.Equal(3, SbcRankPlot.BinomialQuantile(100, 0.1, 0.005));
        Assert.Equal(18, SbcRankPlot.BinomialQuantile(100, 0.1, 0.995));
        Assert.Equal(20, SbcRankPlot.ChooseBins(1000, 99));
        Assert.Equal(10, SbcRankPlot.ChooseBins(200, 99));
        var ranks = new long[200, 2];
        for (int i = 0; i < 200; i++)
        {
            ranks[i, 0] = i % 100;
            ranks[i, 1] = 0;
        }
        var png = PngPixels.Decode(SbcRankPlot.Render(ranks, 99, ["a", "b"]).Png);
        Assert.Equal((2 * (58 + 240 + 22), 36 + 8 + 150 + 46), (png.Width, png.Height));
        // Uniform ranks: 20 per bin, inside the band of Binomial(200, 0.1): the top-left of the first panel's data area shows no bar.
        Assert.True(png.CountNear(Chain0.R, Chain0.G, Chain0.B, 120, 60, 36 + 8, 296, 36 + 8 + 150) > 3000);
        Assert.Equal((255, 255, 255), Rgb(png.Pixel(70, 36 + 8 + 4)));
    }

    [Fact]
    public void CoverageCurveGoesThroughItsPoints()
    {
        var levels = Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray();
        var png = PngPixels.Decode(CoveragePlot.Render([new CoverageCurve("NPE", levels, levels.Select(l => l * l).ToArray())]).Png);
        Assert.Equal((64 + 360 + 22, 12 + 360 + 52), (png.Width, png.Height));
        // Data area 64..424 × 12..372; the point (0.7, 0.49) is a marker of the curve.
        int x = (int)(64 + 0.7 * 360), y = (int)(12 + (1 - 0.49) * 360);
        Assert.True(png.CountNear(Chain0.R, Chain0.G, Chain0.B, 40, x - 2, y - 2, x + 3, y + 3) >= 9);
        Assert.Throws<ArgumentException>(() => CoveragePlot.Render([new CoverageCurve("bad", levels, [0.5])]));
    }

    [Fact]
    public void LossCurvesShowTrainingAndValidation()
    {
        var history = Enumerable.Range(1, 30).Select(e => new TrainingProgress(e, 2 + 1.0 / e, 2.2 + 1.0 / e, 1e-3, e == 20)).ToList();
        history.Add(new TrainingProgress(31, double.NaN, double.PositiveInfinity, 1e-3, false));
        var png = PngPixels.Decode(LossCurvePlot.Render(history, "NPE").Png);
        Assert.Equal((70 + 560 + 16, 36 + 10 + 300 + 50), (png.Width, png.Height));
        Assert.True(png.CountNear(Chain0.R, Chain0.G, Chain0.B, 30) > 200);
        Assert.True(png.CountNear(Chain1.R, Chain1.G, Chain1.B, 30) > 200);
    }

    private static (int, int, int) Rgb((byte R, byte G, byte B, byte A) p) => (p.R, p.G, p.B);
}
