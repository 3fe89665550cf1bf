using System.Globalization;

namespace Ppl.Bench.Memory;

/// <summary>Resident-set-size readings of one process over time, and the least-squares slope of their later part.</summary>
internal sealed class RssSeries
{
    private readonly List<(double Seconds, double Megabytes)> _points = new();

    public IReadOnlyList<(double Seconds, double Megabytes)> Points => _points;

    /// <summary>Reads VmRSS of <paramref name="pid"/> from /proc; false once the process is gone.</summary>
    public bool Sample(int pid, double seconds)
    {
        string path = $"/proc/{pid}/status";
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                _points.Add((seconds, kb / 1024));
                return true;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>
    /// MB per minute over the readings between <paramref name="from"/> and <paramref name="to"/> of the run (start-up,
    /// compilation and the first allocations of every buffer are not growth; nor is writing the outputs at the end).
    /// </summary>
    public double SlopeMegabytesPerMinute(double from = 0.25, double to = 0.9)
    {
        if (_points.Count < 3) return double.NaN;
        double end = _points[^1].Seconds;
        var later = _points.Where(p => p.Seconds >= from * end && p.Seconds <= to * end).ToArray();
        if (later.Length < 3) return double.NaN;
        double mx = later.Average(p => p.Seconds), my = later.Average(p => p.Megabytes);
        double sxy = later.Sum(p => (p.Seconds - mx) * (p.Megabytes - my));
        double sxx = later.Sum(p => (p.Seconds - mx) * (p.Seconds - mx));
        return sxx > 0 ? 60 * sxy / sxx : double.NaN;
    }

    public double Peak => _points.Count == 0 ? double.NaN : _points.Max(p => p.Megabytes);

    public double Last => _points.Count == 0 ? double.NaN : _points[^1].Megabytes;

    /// <summary>RSS at the first reading at or after <paramref name="fraction"/> of the run.</summary>
    public double At(double fraction)
    {
        if (_points.Count == 0) return double.NaN;
        double t = fraction * _points[^1].Seconds;
        return _points.First(p => p.Seconds >= t).Megabytes;
    }
}
