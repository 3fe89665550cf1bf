using System.Diagnostics;
using System.Text;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Inference.Output;

/// <summary>
/// Writes each chain's CmdStan CSV while the run goes: the configuration and header row at once, then the draws (and
/// the adaptation block) as they are made. Pending rows are written at most every <see cref="FlushInterval"/> as one
/// write of whole lines straight to the file (no buffering in between), so a process killed at any moment leaves
/// files whose rows are all complete. When the run ends, <see cref="CmdStanCsvWriter.WriteAll"/> replaces these files
/// with the complete ones (elapsed times and stop reason included).
/// </summary>
public sealed class CmdStanCsvStream : IDrawObserver, IDisposable
{
    /// <summary>How long draws may wait before they are written.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly Dictionary<int, ChainFile> _chains = new();
    private readonly List<string> _paths = new();
    private readonly ConstrainedColumns _columns;
    private readonly SamplerAlgorithm _algorithm;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private sealed class ChainFile(FileStream stream)
    {
        public FileStream Stream { get; } = stream;
        public List<Draw> Pending { get; } = new();
        public TimeSpan LastFlush { get; set; }
    }

    /// <summary>Creates (or truncates) <c>{pathPrefix}_{id}.csv</c> for every chain and writes their headers.</summary>
    public CmdStanCsvStream(string pathPrefix, SamplingOptions options, ConstrainedColumns columns, CmdStanCsvHeader header)
    {
        _columns = columns;
        _algorithm = options.Algorithm;
        bool adapt = options.AdaptEngaged && options.NumWarmup > 0;
        // The final file states the metric the chain ended with; this is the one it will end with.
        var metricKind = adapt ? options.Metric : options.InitialMetric?.Kind ?? MetricKind.Unit;
        try
        {
            for (int id = options.FirstChainId; id < options.FirstChainId + options.Chains; id++)
            {
                var path = CmdStanCsvWriter.PathOf(pathPrefix, id);
                var file = new ChainFile(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0));
                _paths.Add(path);
                _chains[id] = file;
                var text = new StringWriter { NewLine = "\n" };
                CmdStanCsvWriter.WriteConfiguration(text, options, id, metricKind, header);
                text.WriteLine(CmdStanCsvWriter.HeaderRow(_algorithm, columns));
                Append(file, text.ToString());
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The files, one per chain, in chain order.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Closes and removes the files (the run produced nothing, e.g. no chain could be initialised).</summary>
    public void Discard()
    {
        Dispose();
        foreach (var path in _paths) DataFileAccess.TryDelete(path);
    }

    /// <inheritdoc />
    public void DrawCompleted(int chainId, Draw draw, bool warmup)
    {
        var file = _chains[chainId];
        file.Pending.Add(draw);
        if (_clock.Elapsed - file.LastFlush >= FlushInterval) Flush(file);
    }

    /// <inheritdoc />
    public void WarmupCompleted(int chainId, double stepSize, EuclideanMetric metric)
    {
        var file = _chains[chainId];
        Flush(file);
        var text = new StringWriter { NewLine = "\n" };
        CmdStanCsvWriter.WriteAdaptation(text, stepSize, metric);
        Append(file, text.ToString());
    }

    /// <summary>Writes every pending draw.</summary>
    public void Flush()
    {
        foreach (var file in _chains.Values) Flush(file);
    }

    /// <summary>Writes what is pending and closes the files.</summary>
    public void Dispose()
    {
        foreach (var file in _chains.Values)
        {
            try
            {
                Flush(file);
            }
            finally
            {
                file.Stream.Dispose();
            }
        }
        _chains.Clear();
    }

    private void Flush(ChainFile file)
    {
        file.LastFlush = _clock.Elapsed;
        if (file.Pending.Count == 0) return;
        var text = new StringWriter { NewLine = "\n" };
        CmdStanCsvWriter.WriteDraws(text, file.Pending, _columns, _algorithm);
        file.Pending.Clear();
        Append(file, text.ToString());
    }

    // One write of whole lines: the file never holds half a row.
    private static void Append(ChainFile file, string text)
    {
        var bytes = Utf8.GetBytes(text);
        file.Stream.Write(bytes, 0, bytes.Length);
    }
}
