using Ppl.Cli;
using Ppl.Runtime.Campaigns;
using Ppl.Runtime.IO;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// The streaming reader of shards: every epoch is a seeded permutation of all simulations (each exactly once), mixed
/// across shards, determined by (seed, epoch); rows are the simulations their indices name; memory is one buffer.
/// </summary>
public class ShardStreamTests
{
    private const int Total = 1000;

    /// <summary>1000 simulations of gaussian_linear in 4 shards (chunks of 50), and the single-process archive.</summary>
    private static (ShardSet Set, string Single) Shards(bool compress)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ppl-tests", "stream-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string[] Args(string output, string? shard)
        {
            var args = new List<string> { "simulate", ExampleModels.PathOf("gaussian_linear"), "-n", Total.ToString(), "--seed", "4", "--chunk", "50", "-o", output };
            if (shard is not null) args.AddRange(new[] { "--shard", shard });
            if (compress) args.Add("--compress");
            return args.ToArray();
        }
        for (int k = 0; k < 4; k++) Assert.Equal(ExitCodes.Ok, CliRunner.Run(Args(Path.Combine(dir, "sims.npz"), $"{k}/4")).Exit);
        var single = Path.Combine(dir, "single.npz");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run(Args(single, null)).Exit);
        var set = ShardSet.Check(Directory.GetFiles(dir, "*.shard-*.json"));
        Assert.True(set.Succeeded, set.ToString());
        return (set.Value, single);
    }

    private static List<long[]> EpochIndices(ShardStream stream, ulong seed, int epoch)
    {
        var buffers = new List<long[]>();
        foreach (var result in stream.Epoch(seed, epoch))
        {
            Assert.True(result.Succeeded, result.ToString());
            using var buffer = result.Value;
            buffers.Add(buffer.Indices);
        }
        return buffers;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EpochIsASeededPermutationAcrossShardsWithBoundedMemory(bool compress)
    {
        var (set, singlePath) = Shards(compress);
        using var scope = NewDisposeScope();
        var single = NpzReader.ReadAllTensors(singlePath).Value;
        using var stream = new ShardStream(set, new[] { "theta", "x" }, blockRows: 25, bufferRows: 100);
        long rowBytes = (single["theta"].shape[1] + single["x"].shape[1]) * 4;
        long largest = 0;
        var order = new List<long>();
        var shardsPerBuffer = new List<int>();
        foreach (var result in stream.Epoch(seed: 7, epoch: 0))
        {
            Assert.True(result.Succeeded, result.ToString());
            using var buffer = result.Value;
            Assert.True(buffer.Rows <= 100, $"a buffer of {buffer.Rows} rows");
            largest = Math.Max(largest, buffer.Bytes);
            // Each row is the simulation its index names.
            var index = tensor(buffer.Indices);
            Assert.True(buffer.Arrays["theta"].equal(single["theta"].index_select(0, index)).all().item<bool>());
            Assert.True(buffer.Arrays["x"].equal(single["x"].index_select(0, index)).all().item<bool>());
            order.AddRange(buffer.Indices);
            shardsPerBuffer.Add(buffer.Indices.Select(i => i / 250).Distinct().Count());
        }
        // Every simulation exactly once, not in file order, and buffers mix shards.
        Assert.Equal(Enumerable.Range(0, Total).Select(i => (long)i), order.Order());
        Assert.NotEqual(Enumerable.Range(0, Total).Select(i => (long)i), order);
        Assert.True(shardsPerBuffer.Average() > 1.5, $"buffers hold simulations of {shardsPerBuffer.Average():F2} shards on average");
        // Memory: one buffer, a tenth of the data.
        Assert.True(largest <= 100 * rowBytes, $"largest buffer {largest} bytes");
        Assert.True(largest * 10 <= Total * rowBytes);

        // Determined by (seed, epoch).
        var again = EpochIndices(stream, 7, 0).SelectMany(b => b);
        Assert.Equal(order, again);
        Assert.NotEqual(order, EpochIndices(stream, 7, 1).SelectMany(b => b));
        Assert.NotEqual(order, EpochIndices(stream, 8, 0).SelectMany(b => b));
    }
}
