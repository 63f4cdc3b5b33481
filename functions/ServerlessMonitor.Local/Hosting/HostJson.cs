using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessMonitor.Local.Hosting;

/// <summary>The parts of host.json the local runtime honours, read from the same file the App deploys.</summary>
public sealed record HostJson(string RoutePrefix, int QueueBatchSize, int MaxDequeueCount, TimeSpan QueueVisibilityTimeout)
{
    public static HostJson Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "host.json");
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} is empty");
        var extensions = root["extensions"];
        var queues = extensions?["queues"];
        return new HostJson(
            RoutePrefix: extensions?["http"]?["routePrefix"]?.GetValue<string>() ?? "api",
            QueueBatchSize: queues?["batchSize"]?.GetValue<int>() ?? 16,
            MaxDequeueCount: queues?["maxDequeueCount"]?.GetValue<int>() ?? 5,
            QueueVisibilityTimeout: queues?["visibilityTimeout"]?.GetValue<string>() is { } v ? TimeSpan.Parse(v, CultureInfo.InvariantCulture) : TimeSpan.Zero);
    }
}
