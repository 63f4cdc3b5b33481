using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;

namespace ServerlessMonitor.Bench;

/// <summary>Counts the Azure SDK's storage requests per table (or queue), from its own event source.</summary>
internal sealed class RequestCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly AzureEventSourceListener listener;

    public RequestCounter() => listener = new AzureEventSourceListener(Count, EventLevel.Informational);

    public Dictionary<string, int> Snapshot() => new(counts);

    public void Dispose() => listener.Dispose();

    private void Count(EventWrittenEventArgs e, string message)
    {
        var at = e.PayloadNames?.IndexOf("uri") ?? -1;
        if (e.EventName != "Request" || at < 0 || e.Payload?[at] is not string uri)
        {
            return;
        }

        // Azurite's paths start with the account name; a transaction is posted to "$batch".
        var path = new Uri(uri).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = path.Length > 1 ? path[1].Split('(')[0] : "?";
        counts.AddOrUpdate(name, 1, (_, c) => c + 1);
    }
}

/// <summary>The process's working set, sampled every 20 ms: its peak while the cycle runs.</summary>
internal sealed class PeakWorkingSet : IDisposable
{
    private readonly Timer timer;
    private long max = Environment.WorkingSet;

    public PeakWorkingSet() => timer = new Timer(_ => Interlocked.Exchange(ref max, Math.Max(Interlocked.Read(ref max), Environment.WorkingSet)), null, 0, 20);

    public long Max => Interlocked.Read(ref max);

    public void Dispose() => timer.Dispose();
}

/// <summary>Request counts as the benchmarks print them.</summary>
internal static class RequestCounts
{
    public static Dictionary<string, int> Minus(Dictionary<string, int> later, Dictionary<string, int> earlier) =>
        later.Select(r => (r.Key, Count: r.Value - earlier.GetValueOrDefault(r.Key))).Where(r => r.Count > 0).ToDictionary(r => r.Key, r => r.Count);

    /// <summary>"total (name count, …)", busiest first; a transaction is posted to "$batch".</summary>
    public static string Show(Dictionary<string, int> counts) =>
        $"{counts.Values.Sum()} ({string.Join(", ", counts.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))})";
}
