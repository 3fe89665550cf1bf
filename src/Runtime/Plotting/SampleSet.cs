namespace Ppl.Runtime.Plotting;

/// <summary>Draws from one distribution, e.g. NUTS or NPE posterior samples, for a <see cref="CornerPlot"/>.</summary>
/// <param name="Label">The name shown in the legend.</param>
/// <param name="Samples">The draws, indexed [draw, parameter]; rows with a NaN or infinity are skipped.</param>
public sealed record SampleSet(string Label, double[,] Samples);
