using System.Collections.Concurrent;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Tests.Integration.Cycle;

/// <summary>Stands where the incident pipeline takes verdicts: records every hand-off, by minute.</summary>
public sealed class VerdictRecorder : IVerdictHandoff
{
    private readonly ConcurrentQueue<IReadOnlyList<MonitorVerdict>> handoffs = new();

    public IReadOnlyList<IReadOnlyList<MonitorVerdict>> HandOffs => [.. handoffs];

    public Task HandOffAsync(IReadOnlyList<MonitorVerdict> verdicts, CancellationToken cancellationToken)
    {
        handoffs.Enqueue(verdicts);
        return Task.CompletedTask;
    }

    /// <summary>The verdicts of the first minute handed off for which <paramref name="holds"/> holds; null while there is none.</summary>
    public Dictionary<string, MonitorVerdict>? First(Func<Dictionary<string, MonitorVerdict>, bool> holds) =>
        HandOffs.Select(h => h.ToDictionary(v => v.MonitorId)).FirstOrDefault(holds);
}
