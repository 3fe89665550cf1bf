namespace Ppl.Runtime.Campaigns;

/// <summary>The codes of the errors of sharded runs and their merge (`ppl simulate --shard`, `ppl merge`); the list with
/// explanations is in docs/scale-out.md.</summary>
public static class CampaignErrorCodes
{
    /// <summary>A file given to merge is not a shard record or a `ppl sample` folder, or its record is malformed.</summary>
    public const string NotAShard = "PPL0561";

    /// <summary>The shards (or sampling runs) come from different models, seeds, run sizes or settings.</summary>
    public const string Mismatch = "PPL0562";

    /// <summary>Simulations (or chains) are missing: some shards were not given or did not finish.</summary>
    public const string Missing = "PPL0563";

    /// <summary>Simulations (or chains) appear more than once.</summary>
    public const string Duplicate = "PPL0564";

    /// <summary>A shard's data file differs from its record: truncated, changed or replaced.</summary>
    public const string ChecksumMismatch = "PPL0565";

    /// <summary>An existing shard of another run is in the way of `ppl simulate --shard`.</summary>
    public const string ForeignShard = "PPL0566";
}
