using System.Globalization;
using System.Text;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Cli;

/// <summary>
/// One progress line per chain on standard error (iteration, phase, divergences, step size, tree depth): redrawn in
/// place on a terminal, printed as a block at the first report, every few seconds and at the end otherwise.
/// </summary>
public sealed class ChainProgressDisplay(CliContext context) : IProgress<SamplingProgress>
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);
    private int _linesDrawn;
    private TimeSpan? _lastLogged;
    private SamplingProgress? _latest;

    /// <inheritdoc />
    public void Report(SamplingProgress value)
    {
        _latest = value;
        if (context.Interactive)
        {
            Draw(value);
            return;
        }
        if (_lastLogged is { } last && value.Elapsed - last < LogInterval) return;
        _lastLogged = value.Elapsed;
        context.Err.Write(Render(value));
    }

    /// <summary>Leaves the final state on screen (a log gets it once more if it has not seen it).</summary>
    public void Finish()
    {
        if (_latest is null) return;
        if (!context.Interactive && _lastLogged != _latest.Elapsed) context.Err.Write(Render(_latest));
    }

    private void Draw(SamplingProgress value)
    {
        var sb = new StringBuilder();
        // Move back to the first line of the block drawn last time, then overwrite it line by line.
        if (_linesDrawn > 0) sb.Append("\u001b[").Append(_linesDrawn.ToString(CultureInfo.InvariantCulture)).Append('A');
        foreach (var line in Lines(value)) sb.Append('\r').Append(line).Append("\u001b[K\n");
        _linesDrawn = value.Chains.Count;
        context.Err.Write(sb.ToString());
    }

    private static string Render(SamplingProgress value)
    {
        var sb = new StringBuilder();
        foreach (var line in Lines(value)) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    private static IEnumerable<string> Lines(SamplingProgress value)
    {
        var inv = CultureInfo.InvariantCulture;
        double seconds = Math.Max(value.Elapsed.TotalSeconds, 1e-9);
        foreach (var c in value.Chains)
        {
            const int width = 24;
            double fraction = c.TotalIterations == 0 ? 1 : (double)c.Iteration / c.TotalIterations;
            int filled = (int)Math.Round(fraction * width);
            string phase = c.Iteration >= c.TotalIterations ? "done    " : c.InWarmup ? "warm-up " : "sampling";
            if (c.ChainId == 0)
            {
                // A many-chain run reports all its chains as one entry; TreeDepth holds the last iteration's leapfrog steps.
                yield return string.Format(inv, "chains [{0}{1}] {2,6}/{3} {4}  divergent {5,4}  step {6,8:G3}  steps {7,4}  {8,7:F0} grad/s",
                    new string('#', filled), new string('.', width - filled), c.Iteration, c.TotalIterations, phase,
                    c.Divergences, c.StepSize, c.TreeDepth, c.GradientEvaluations / seconds);
                continue;
            }
            yield return string.Format(inv, "chain {0,2} [{1}{2}] {3,6}/{4} {5}  divergent {6,4}  step {7,8:G3}  depth {8,2}  {9,7:F0} grad/s",
                c.ChainId, new string('#', filled), new string('.', width - filled), c.Iteration, c.TotalIterations, phase,
                c.Divergences, c.StepSize, c.TreeDepth, c.GradientEvaluations / seconds);
        }
    }
}
