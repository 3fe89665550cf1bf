using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>How the panels below the diagonal of a <see cref="CornerPlot"/> show two-parameter densities.</summary>
public enum CornerDensityStyle
{
    /// <summary>Filled credible regions with outlines (see <see cref="CornerPlotOptions.ContourLevels"/>).</summary>
    Contours,

    /// <summary>The smoothed 2-d histogram as shading.</summary>
    Shaded,

    /// <summary>The draws as translucent points.</summary>
    Scatter,
}

/// <summary>Settings of a <see cref="CornerPlot"/>; every one has a sensible default.</summary>
public sealed record CornerPlotOptions
{
    /// <summary>Side of one panel in pixels; by default 240 for up to 3 parameters, shrinking to 140 for 8 or more.</summary>
    public int? PanelSize { get; init; }

    /// <summary>How the 2-d panels are drawn.</summary>
    public CornerDensityStyle Style { get; init; } = CornerDensityStyle.Contours;

    /// <summary>Bins of the 1-d histograms; 0 chooses from the number of draws.</summary>
    public int Bins { get; init; }

    /// <summary>Bins per axis of the 2-d histograms; 0 chooses from the number of draws.</summary>
    public int Bins2D { get; init; }

    /// <summary>Width of the Gaussian that smooths the 2-d histograms, in bins (0 for none).</summary>
    public double Smoothing { get; init; } = 1.0;

    /// <summary>
    /// The probability masses enclosed by the contours. The defaults, 1 - e^(-1/2) and 1 - e^(-2), are the masses
    /// within 1 and 2 standard deviations of a 2-d Gaussian.
    /// </summary>
    public IReadOnlyList<double> ContourLevels { get; init; } = new[] { 1 - Math.Exp(-0.5), 1 - Math.Exp(-2.0) };

    /// <summary>True parameter values to mark with lines; NaN leaves a parameter unmarked.</summary>
    public IReadOnlyList<double>? Truths { get; init; }

    /// <summary>Label of the truth markers in the legend.</summary>
    public string TruthLabel { get; init; } = "truth";

    /// <summary>Quantiles marked with dashed lines on the 1-d histograms, e.g. { 0.16, 0.5, 0.84 }.</summary>
    public IReadOnlyList<double>? Quantiles { get; init; }

    /// <summary>Fixed axis ranges per parameter; a null entry (or list) chooses from the draws.</summary>
    public IReadOnlyList<(double Min, double Max)?>? Ranges { get; init; }

    /// <summary>
    /// Fraction of draws in each tail that automatic ranges may leave out, so that a few outliers do not squeeze the
    /// bulk of the distribution into a corner.
    /// </summary>
    public double RangeTailFraction { get; init; } = 0.001;

    /// <summary>Colours of the sample sets, in order (cycled if there are more sets).</summary>
    public IReadOnlyList<Color> Colors { get; init; } = FigureStyle.Palette;

    /// <summary>Colour of the truth markers.</summary>
    public Color TruthColor { get; init; } = FigureStyle.Ink;

    /// <summary>A title above the plot.</summary>
    public string? Title { get; init; }

    /// <summary>Whether to draw the legend.</summary>
    public bool ShowLegend { get; init; } = true;


    /// <summary>At most this many draws per set are drawn as points (a deterministic subsample).</summary>
    public int MaxScatterPoints { get; init; } = 4000;
}
