using System.Collections.Immutable;

namespace Ppl.Compiler.Semantics;

/// <summary>A static event shape (no batch dimension): a list of <see cref="Dim"/>.</summary>
public sealed class Shape : IEquatable<Shape>
{
    public Shape(IEnumerable<Dim> dims) => Dims = dims.ToImmutableArray();

    public ImmutableArray<Dim> Dims { get; }

    public int Rank => Dims.Length;

    public static readonly Shape Scalar = new(Array.Empty<Dim>());

    public static Shape Of(params long[] dims) => new(dims.Select(Dim.Of));

    public static Shape Of(params Dim[] dims) => new(dims);

    public Dim this[int i] => Dims[i];

    public bool IsKnown => Dims.All(d => d.IsKnown);

    public long? KnownElementCount => IsKnown ? Dims.Aggregate(1L, (a, d) => a * d.Constant) : null;

    public Shape Prepend(Dim d) => new(Dims.Insert(0, d));

    public Shape Append(Dim d) => new(Dims.Add(d));

    public Shape Skip(int n) => new(Dims.Skip(n));

    public Shape Take(int n) => new(Dims.Take(n));

    public bool Equals(Shape? other) => other is not null && Dims.SequenceEqual(other.Dims);

    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    public override int GetHashCode() => Dims.Aggregate(Rank, (h, d) => HashCode.Combine(h, d));

    public override string ToString() => Rank == 0 ? "" : "[" + string.Join(", ", Dims) + "]";
}

/// <summary>One pair of dimensions whose equality could not be decided at compile time; it is checked when the data
/// are bound.</summary>
public sealed record DeferredDimCheck(Dim Left, Dim Right, Ppl.Dsl.SourceRange Range, string Message, bool AllowOne = false);

/// <summary>NumPy broadcasting over symbolic shapes.</summary>
public static class Broadcasting
{
    /// <summary>The broadcast shape, or null when two dimensions are provably incompatible. Pairs that may differ
    /// depending on the data are added to <paramref name="deferred"/>.</summary>
    public static Shape? Broadcast(Shape a, Shape b, List<(Dim, Dim)>? deferred)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            var da = i < rank - a.Rank ? null : a[i - (rank - a.Rank)];
            var db = i < rank - b.Rank ? null : b[i - (rank - b.Rank)];
            if (da is null) { dims[i] = db!; continue; }
            if (db is null) { dims[i] = da; continue; }
            if (da.Equals(db)) { dims[i] = da; continue; }
            if (da.IsKnown && da.Constant == 1) { dims[i] = db; continue; }
            if (db.IsKnown && db.Constant == 1) { dims[i] = da; continue; }
            if (da.ProvablyDifferent(db)) return null;
            deferred?.Add((da, db));
            dims[i] = da.IsKnown ? da : db;
        }
        return new Shape(dims);
    }
}
