namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// Stan's windowed warm-up: an initial fast interval (step size only), a series of slow windows that estimate the
/// metric, each twice as long as the one before (the last stretched to the terminal buffer), and a terminal fast
/// interval. When the three stages do not fit in the warm-up, Stan scales them to 15% / 75% / 10% of it; below 20
/// warm-up iterations no metric is estimated at all.
/// </summary>
public sealed class AdaptationSchedule
{
    private AdaptationSchedule(int numWarmup, int initBuffer, int termBuffer, int baseWindow, IReadOnlyList<(int Start, int End)> windows, string? note)
    {
        NumWarmup = numWarmup;
        InitBuffer = initBuffer;
        TermBuffer = termBuffer;
        BaseWindow = baseWindow;
        Windows = windows;
        Note = note;
    }

    /// <summary>The number of warm-up iterations.</summary>
    public int NumWarmup { get; }

    /// <summary>The initial buffer actually used.</summary>
    public int InitBuffer { get; }

    /// <summary>The terminal buffer actually used.</summary>
    public int TermBuffer { get; }

    /// <summary>The first slow window's length actually used.</summary>
    public int BaseWindow { get; }

    /// <summary>The metric-estimation windows, as inclusive 0-based warm-up iteration ranges.</summary>
    public IReadOnlyList<(int Start, int End)> Windows { get; }

    /// <summary>Why the schedule differs from the one asked for, if it does.</summary>
    public string? Note { get; }

    /// <summary>Builds the schedule the way Stan's <c>windowed_adaptation</c> does.</summary>
    public static AdaptationSchedule Create(int numWarmup, int initBuffer = 75, int termBuffer = 50, int baseWindow = 25)
    {
        if (numWarmup < 20)
            return new AdaptationSchedule(numWarmup, 0, 0, 0, Array.Empty<(int, int)>(), "No metric is estimated with fewer than 20 warm-up iterations.");

        string? note = null;
        if (initBuffer + baseWindow + termBuffer > numWarmup)
        {
            // Stan assigns the products to unsigned integers, which truncates.
            initBuffer = (int)(0.15 * numWarmup);
            termBuffer = (int)(0.1 * numWarmup);
            baseWindow = numWarmup - (initBuffer + termBuffer);
            note = $"The warm-up is too short for the configured buffers; using init_buffer = {initBuffer}, window = {baseWindow}, term_buffer = {termBuffer}.";
        }

        // Replays Stan's counters: a window ends at adapt_next_window_, then the next one doubles, and is stretched to
        // the end of the slow phase when the window after it would not fit.
        int lastSlow = numWarmup - termBuffer - 1;
        var windows = new List<(int, int)>();
        int windowSize = baseWindow;
        int nextEnd = initBuffer + windowSize - 1;
        int start = initBuffer;
        for (int counter = 0; counter < numWarmup; counter++)
        {
            if (counter != nextEnd) continue;
            windows.Add((start, counter));
            start = counter + 1;
            if (nextEnd == lastSlow) break;
            windowSize *= 2;
            nextEnd = counter + windowSize;
            if (nextEnd != lastSlow && nextEnd + 2 * windowSize >= numWarmup - termBuffer) nextEnd = lastSlow;
        }
        return new AdaptationSchedule(numWarmup, initBuffer, termBuffer, baseWindow, windows, note);
    }

    /// <summary>True when warm-up iteration <paramref name="iteration"/> (0-based) contributes to a metric estimate.</summary>
    public bool InWindow(int iteration)
    {
        foreach (var (s, e) in Windows)
            if (iteration >= s && iteration <= e) return true;
        return false;
    }

    /// <summary>True when a metric window closes after warm-up iteration <paramref name="iteration"/>.</summary>
    public bool IsWindowEnd(int iteration)
    {
        foreach (var (_, e) in Windows)
            if (iteration == e) return true;
        return false;
    }
}
