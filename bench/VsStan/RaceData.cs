using System.Globalization;
using System.Text;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Bench.VsStan;

/// <summary>One data value: a number (an int when <see cref="IsInt"/>), a vector or a row-major matrix.</summary>
internal sealed record RaceValue(double[] Values, int[] Shape, bool IsInt = false)
{
    public static RaceValue Int(int n) => new(new double[] { n }, Array.Empty<int>(), true);
    public static RaceValue Real(double x) => new(new[] { x }, Array.Empty<int>());
    public static RaceValue Vector(double[] x) => new(x, new[] { x.Length });
}

/// <summary>The data of the race's models, simulated reproducibly where the original is not at hand, written as CmdStan
/// JSON (for Ppl) and as an R dump (for rstan).</summary>
internal static class RaceData
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Dictionary<string, RaceValue> EightSchools() => new()
    {
        ["J"] = RaceValue.Int(8),
        ["y"] = RaceValue.Vector(new double[] { 28, 8, -3, 7, -1, 1, 18, 12 }),
        ["sigma"] = RaceValue.Vector(new double[] { 15, 10, 16, 11, 9, 11, 10, 18 }),
    };

    /// <summary>434 children simulated like ARM's kidiq (the dataset itself is not on this machine): mom_hs ~
    /// Bernoulli(0.786), mom_iq ~ N(100, 15), kid_score = 26 + 6 mom_hs + 0.56 mom_iq + N(0, 18), from a fixed seed.</summary>
    public static Dictionary<string, RaceValue> KidIq()
    {
        const int n = 434;
        var random = new CounterRandom(20260101);
        var u = Enumerable.Range(0, n).Select(i => random.Substream(1).Uniform((ulong)i)).ToArray();
        var z = random.Substream(2).StandardNormals(n);
        var e = random.Substream(3).StandardNormals(n);
        var hs = u.Select(x => x < 0.786 ? 1.0 : 0.0).ToArray();
        var iq = z.Select(x => Math.Round(100 + 15 * x, 3)).ToArray();
        var score = Enumerable.Range(0, n).Select(i => Math.Round(26 + 6 * hs[i] + 0.56 * iq[i] + 18 * e[i], 3)).ToArray();
        return new() { ["N"] = RaceValue.Int(n), ["mom_hs"] = RaceValue.Vector(hs), ["mom_iq"] = RaceValue.Vector(iq), ["kid_score"] = RaceValue.Vector(score) };
    }

    /// <summary>200 points of a stationary AR(5), y_t = 0.2 + Σ β_k y_{t−k} + N(0, 1) with β = (0.4, −0.2, 0.15, −0.1, 0.05),
    /// after 100 points of burn-in, from a fixed seed.</summary>
    public static Dictionary<string, RaceValue> Ar5()
    {
        const int n = 200, burn = 100;
        double[] beta = { 0.4, -0.2, 0.15, -0.1, 0.05 };
        var noise = new CounterRandom(20260102).StandardNormals(n + burn);
        var y = new double[n + burn];
        for (int t = 0; t < y.Length; t++)
        {
            double mu = 0.2;
            for (int k = 0; k < 5; k++) if (t - k - 1 >= 0) mu += beta[k] * y[t - k - 1];
            y[t] = mu + noise[t];
        }
        var kept = y[burn..].Select(v => Math.Round(v, 6)).ToArray();
        return new() { ["N"] = RaceValue.Int(n), ["y"] = RaceValue.Vector(kept), ["y_next"] = RaceValue.Vector(kept[5..]) };
    }

    /// <summary>CmdStan JSON of the values named (all when null).</summary>
    public static string Json(Dictionary<string, RaceValue> data, IEnumerable<string>? names = null)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var name in names ?? data.Keys)
        {
            var v = data[name];
            sb.Append(first ? "\n  " : ",\n  ").Append('"').Append(name).Append("\": ");
            first = false;
            if (v.Shape.Length == 0) sb.Append(Number(v.Values[0], v.IsInt));
            else if (v.Shape.Length == 1) sb.Append('[').Append(string.Join(", ", v.Values.Select(x => Number(x, v.IsInt)))).Append(']');
            else
            {
                int cols = v.Shape[1];
                sb.Append('[').Append(string.Join(", ", Enumerable.Range(0, v.Shape[0]).Select(r =>
                    "[" + string.Join(", ", v.Values.Skip(r * cols).Take(cols).Select(x => Number(x, v.IsInt))) + "]"))).Append(']');
            }
        }
        return sb.Append("\n}\n").ToString();
    }

    /// <summary>An R dump (rstan::read_rdump) of every value; matrices column-major with .Dim.</summary>
    public static string RDump(Dictionary<string, RaceValue> data)
    {
        var sb = new StringBuilder();
        foreach (var (name, v) in data)
        {
            if (v.Shape.Length == 0) sb.Append(name).Append(" <- ").Append(Number(v.Values[0], v.IsInt)).Append('\n');
            else if (v.Shape.Length == 1) sb.Append(name).Append(" <- c(").Append(string.Join(", ", v.Values.Select(x => Number(x, v.IsInt)))).Append(")\n");
            else
            {
                int rows = v.Shape[0], cols = v.Shape[1];
                var colMajor = Enumerable.Range(0, cols).SelectMany(c => Enumerable.Range(0, rows).Select(r => v.Values[r * cols + c]));
                sb.Append(name).Append(" <- structure(c(").Append(string.Join(", ", colMajor.Select(x => Number(x, false))))
                    .Append("), .Dim = c(").Append(rows.ToString(Inv)).Append(", ").Append(cols.ToString(Inv)).Append("))\n");
            }
        }
        return sb.ToString();
    }

    private static string Number(double x, bool isInt) => isInt ? ((long)x).ToString(Inv) : x.ToString("R", Inv);
}
