namespace Ppl.Runtime.Plotting;

/// <summary>
/// Joins the unordered segments of a marching-squares contour (<see cref="DensityGrid.Contour"/>) into polylines,
/// so that each closed curve is drawn as one line with proper joins instead of hundreds of separate strokes.
/// </summary>
public static class ContourPaths
{
    /// <summary>The polylines through the segments; a closed curve ends at its first point.</summary>
    public static List<List<(double X, double Y)>> Join(IReadOnlyList<((double X, double Y) A, (double X, double Y) B)> segments)
    {
        // Segment ends computed from the same grid edge are bit-identical, so exact keys find the neighbours.
        var byEnd = new Dictionary<(double, double), List<int>>();
        void Index((double, double) point, int segment)
        {
            if (!byEnd.TryGetValue(point, out var list)) byEnd[point] = list = new List<int>(2);
            list.Add(segment);
        }
        for (int k = 0; k < segments.Count; k++)
        {
            Index(segments[k].A, k);
            Index(segments[k].B, k);
        }
        var used = new bool[segments.Count];
        var paths = new List<List<(double X, double Y)>>();
        for (int start = 0; start < segments.Count; start++)
        {
            if (used[start]) continue;
            used[start] = true;
            var path = new List<(double X, double Y)> { segments[start].A, segments[start].B };
            Extend(path, segments, byEnd, used);
            path.Reverse();
            Extend(path, segments, byEnd, used);
            paths.Add(path);
        }
        return paths;
    }

    private static void Extend(List<(double X, double Y)> path, IReadOnlyList<((double X, double Y) A, (double X, double Y) B)> segments,
        Dictionary<(double, double), List<int>> byEnd, bool[] used)
    {
        while (true)
        {
            var end = path[^1];
            int next = -1;
            foreach (var k in byEnd[end])
                if (!used[k])
                {
                    next = k;
                    break;
                }
            if (next < 0) return;
            used[next] = true;
            path.Add(segments[next].A == end ? segments[next].B : segments[next].A);
        }
    }
}
