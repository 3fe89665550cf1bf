using System.Diagnostics;

namespace Ppl.Cli;

/// <summary>A progress line on standard error: redrawn in place on a terminal, printed at most every few seconds otherwise.</summary>
public sealed class ProgressBar(CliContext context, string label, long total, string unit)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private bool _drawn;

    public void Report(long done, string? extra = null)
    {
        var now = _clock.Elapsed;
        var interval = context.Interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5);
        if (done < total && _lastDraw is { } last && now - last < interval) return;
        _lastDraw = now;
        double rate = done / Math.Max(now.TotalSeconds, 1e-9);
        double fraction = total == 0 ? 1 : (double)done / total;
        int width = 30, filled = (int)Math.Round(fraction * width);
        var eta = rate > 0 && done < total ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        var text = $"{label} [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} {unit} {rate:F0}/s eta {eta:mm\\:ss}{(extra is null ? "" : " " + extra)}";
        if (context.Interactive) context.Err.Write("\r" + text.PadRight(100));
        else context.Err.WriteLine(text);
        _drawn = true;
    }

    public void Finish()
    {
        if (_drawn && context.Interactive) context.Err.WriteLine();
    }

    public TimeSpan Elapsed => _clock.Elapsed;
}
