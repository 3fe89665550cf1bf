namespace Ppl.Runtime.Compression;

/// <summary>Where the channels (tomographic bins) of an observed map lie.</summary>
public enum ChannelPosition
{
    /// <summary>A single-channel map [N, M].</summary>
    None,
    /// <summary>[N, M, C], bins last (the reference lensing code's layout).</summary>
    Last,
    /// <summary>[C, N, M].</summary>
    First,
}

/// <summary>
/// The shape of one observed map and how it becomes the [C, H, W] image a 2-D convolution reads. A site of shape
/// [N, M] is one channel; [N, N, C] with C ≠ N has the channels last; [C, N, N] with C ≠ N has them first; a cube
/// [N, N, N] is read channels-last unless <see cref="ChannelPosition.First"/> is asked for.
/// </summary>
public sealed record MapShape(long[] SiteShape, ChannelPosition Channels)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public long Height => Channels == ChannelPosition.First ? SiteShape[1] : SiteShape[0];

    [System.Text.Json.Serialization.JsonIgnore]
    public long Width => Channels == ChannelPosition.First ? SiteShape[2] : SiteShape[1];

    [System.Text.Json.Serialization.JsonIgnore]
    public long ChannelCount => Channels switch
    {
        ChannelPosition.None => 1,
        ChannelPosition.Last => SiteShape[2],
        _ => SiteShape[0],
    };

    /// <summary>The layout of a site of shape <paramref name="siteShape"/>, or why it is not a map.</summary>
    public static (MapShape? Shape, string? Error) Of(long[] siteShape, ChannelPosition? requested = null)
    {
        string text = "[" + string.Join(", ", siteShape) + "]";
        if (siteShape.Length == 2)
        {
            if (requested is ChannelPosition.First or ChannelPosition.Last)
                return (null, $"a site of shape {text} has no channel axis");
            return siteShape.All(s => s >= 2) ? (new MapShape(siteShape, ChannelPosition.None), null) : (null, $"a map of shape {text} is too small (at least 2 × 2)");
        }
        if (siteShape.Length != 3)
            return (null, $"a site of shape {text} is not a map: a compressor reads [N, M], [N, M, C] (bins last) or [C, N, M] (bins first)");
        bool last = siteShape[0] >= 2 && siteShape[1] >= 2;
        bool first = siteShape[1] >= 2 && siteShape[2] >= 2;
        var position = requested switch
        {
            ChannelPosition.Last when last => ChannelPosition.Last,
            ChannelPosition.First when first => ChannelPosition.First,
            null when siteShape[0] == siteShape[1] && last => ChannelPosition.Last,
            null when siteShape[1] == siteShape[2] && first => ChannelPosition.First,
            null when last => ChannelPosition.Last,
            _ => ChannelPosition.None,
        };
        return position == ChannelPosition.None
            ? (null, $"a site of shape {text} cannot be read as a map with the channels {(requested == ChannelPosition.First ? "first" : "last")}")
            : (new MapShape(siteShape, position), null);
    }

    /// <summary>Maps [n, ...SiteShape] as images [n, C, H, W] (a view or a permuted copy).</summary>
    public TorchSharp.torch.Tensor ToImages(TorchSharp.torch.Tensor maps) => Channels switch
    {
        ChannelPosition.None => maps.unsqueeze(1),
        ChannelPosition.Last => maps.permute(0, 3, 1, 2),
        _ => maps,
    };

    /// <summary>Whether <paramref name="maps"/> is a batch of maps of this shape.</summary>
    public bool Fits(TorchSharp.torch.Tensor maps) => maps.dim() == SiteShape.Length + 1 && maps.shape.Skip(1).SequenceEqual(SiteShape);

    public string Describe() => "[" + string.Join(", ", SiteShape) + "]" + Channels switch
    {
        ChannelPosition.None => " (one channel)",
        ChannelPosition.Last => $" ({ChannelCount} channels last)",
        _ => $" ({ChannelCount} channels first)",
    };
}
