using System.Text.Json.Serialization;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>How a model's observed sites become the estimator's x.</summary>
public enum ObservationArrangement
{
    /// <summary>Every observed site flattened and concatenated in declaration order: x is [Dx].</summary>
    Flat,
    /// <summary>Time series for a 1-D convolutional embedding: every site is [T] (one channel) or [T, c], and the sites
    /// are concatenated along the channels: x is [T, Σc].</summary>
    Series,
}

/// <summary>One observed site of a layout: its name and event shape.</summary>
public sealed record ObservedBlock(string Name, long[] Shape)
{
    /// <summary>Number of elements of one value.</summary>
    [JsonIgnore]
    public long Size => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Channels the site contributes to a <see cref="ObservationArrangement.Series"/> layout.</summary>
    [JsonIgnore]
    public long Channels => Shape.Length == 2 ? Shape[1] : 1;
}

/// <summary>
/// Where the observed sites of a model go in the estimator's x: NPE conditions on it, NLE models its density. The
/// layout is recorded in estimator bundles so that an observation is arranged the same way at posterior time.
/// </summary>
public sealed record ObservationLayout(ObservationArrangement Arrangement, IReadOnlyList<ObservedBlock> Blocks)
{
    /// <summary>The event shape of x: [Dx] for flat layouts, [T, channels] for series.</summary>
    [JsonIgnore]
    public long[] EventShape => Arrangement == ObservationArrangement.Flat
        ? [Blocks.Sum(b => b.Size)]
        : [Blocks[0].Shape[0], Blocks.Sum(b => b.Channels)];

    /// <summary>Builds a layout, or explains why the sites cannot be arranged that way.</summary>
    public static SbiResult<ObservationLayout> Create(IReadOnlyList<ObservedBlock> blocks, ObservationArrangement arrangement)
    {
        if (blocks.Count == 0)
            return SbiResult<ObservationLayout>.Failure(SbiError.ObservationMismatch, "The model has no observed sites, so there is nothing to condition on.");
        if (arrangement == ObservationArrangement.Series)
        {
            var bad = blocks.FirstOrDefault(b => b.Shape.Length is not (1 or 2));
            if (bad is not null)
                return SbiResult<ObservationLayout>.Failure(SbiError.ObservationMismatch,
                    $"A convolutional embedding needs time series: observed '{bad.Name}' has shape [{string.Join(", ", bad.Shape)}], not [T] or [T, channels].");
            long length = blocks[0].Shape[0];
            var other = blocks.FirstOrDefault(b => b.Shape[0] != length);
            if (other is not null)
                return SbiResult<ObservationLayout>.Failure(SbiError.ObservationMismatch,
                    $"The observed series must have the same length: '{blocks[0].Name}' has {length} steps but '{other.Name}' has {other.Shape[0]}.");
        }
        return SbiResult<ObservationLayout>.Success(new ObservationLayout(arrangement, blocks.ToArray()));
    }

    /// <summary>The layout of a bound model's observed sites.</summary>
    public static SbiResult<ObservationLayout> For(Model model, ObservationArrangement arrangement) =>
        Create(model.ObservedSites.Select(s => new ObservedBlock(s.Name, s.Shape)).ToArray(), arrangement);

    /// <summary>
    /// Arranges batched values (each [n, ...shape], by site name) into x [n, ...EventShape]. The dtype of the first
    /// value is kept.
    /// </summary>
    public SbiResult<Tensor> Arrange(IReadOnlyDictionary<string, Tensor> values)
    {
        long? rows = null;
        var parts = new List<Tensor>();
        using var scope = NewDisposeScope();
        foreach (var block in Blocks)
        {
            if (!values.TryGetValue(block.Name, out var value))
                return SbiResult<Tensor>.Failure(SbiError.ObservationMismatch, $"No values for observed '{block.Name}'.");
            if (value.dim() != block.Shape.Length + 1 || !value.shape.Skip(1).SequenceEqual(block.Shape))
                return SbiResult<Tensor>.Failure(SbiError.ObservationMismatch,
                    $"Observed '{block.Name}' must have shape [n, {string.Join(", ", block.Shape)}] (one row per simulation); got [{string.Join(", ", value.shape)}].");
            rows ??= value.shape[0];
            if (value.shape[0] != rows)
                return SbiResult<Tensor>.Failure(SbiError.ObservationMismatch,
                    $"Observed '{block.Name}' has {value.shape[0]} rows but '{Blocks[0].Name}' has {rows}.");
            parts.Add(Arrangement == ObservationArrangement.Flat
                ? value.reshape(value.shape[0], block.Size)
                : value.reshape(value.shape[0], block.Shape[0], block.Channels));
        }
        var dtype = parts[0].dtype;
        var x = cat(parts.Select(p => p.to_type(dtype)).ToArray(), Arrangement == ObservationArrangement.Flat ? 1 : 2);
        return SbiResult<Tensor>.Success(x.MoveToOuterDisposeScope());
    }

    /// <summary>Arranges one observation (each value with the site's own shape, by site name) into x [1, ...EventShape].</summary>
    public SbiResult<Tensor> ArrangeOne(IReadOnlyDictionary<string, Tensor> values)
    {
        var batched = new Dictionary<string, Tensor>();
        foreach (var block in Blocks)
        {
            if (!values.TryGetValue(block.Name, out var value))
                return SbiResult<Tensor>.Failure(SbiError.ObservationMismatch,
                    $"The observation lacks '{block.Name}' (the estimator conditions on {string.Join(", ", Blocks.Select(b => b.Name))}).");
            if (!value.shape.SequenceEqual(block.Shape))
                return SbiResult<Tensor>.Failure(SbiError.ObservationMismatch,
                    $"Observed '{block.Name}' has shape [{string.Join(", ", value.shape)}] but the estimator was trained on [{string.Join(", ", block.Shape)}].");
            batched[block.Name] = value.unsqueeze(0);
        }
        return Arrange(batched);
    }

    /// <summary>Arranges one observation given as a flat vector of all observed elements in declaration order.</summary>
    public SbiResult<Tensor> ArrangeFlat(Tensor elements)
    {
        long total = Blocks.Sum(b => b.Size);
        if (elements.numel() != total)
            return SbiResult<Tensor>.Failure(SbiError.ObservationMismatch,
                $"The observation has {elements.numel()} values but the estimator's observed sites hold {total} ({Describe()}).");
        var values = new Dictionary<string, Tensor>();
        long offset = 0;
        var flat = elements.reshape(-1);
        foreach (var block in Blocks)
        {
            values[block.Name] = flat.narrow(0, offset, block.Size).reshape(block.Shape);
            offset += block.Size;
        }
        return ArrangeOne(values);
    }

    /// <summary>The observed sites with their shapes, e.g. "y [10, 2]".</summary>
    public string Describe() => string.Join(", ", Blocks.Select(b => $"{b.Name} [{string.Join(", ", b.Shape)}]"));

    /// <summary>Whether <paramref name="other"/> arranges the same sites with the same shapes the same way.</summary>
    public bool SameAs(ObservationLayout other) =>
        Arrangement == other.Arrangement && Blocks.Count == other.Blocks.Count
        && Blocks.Zip(other.Blocks).All(p => p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape));
}
