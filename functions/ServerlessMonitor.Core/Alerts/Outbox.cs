using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// The local runtime's record of what it sent: SM_DATA_DIR/outbox.jsonl, one JSON object a line
/// ({at, channel, to, subject?, body}), which /api/dev/outbox serves. Never written in Azure.
/// </summary>
public sealed class Outbox(string file, TimeProvider time)
{
    // Each simulated region has its own service graph, and all of them append to one file.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new UtcTimeJsonConverter() },
    };

    /// <summary>Appends the message; a webhook's body is its JSON payload as a string.</summary>
    public async Task AppendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Channel == ChannelKind.Webhook ? Webhooks.WebhookPayload.Of(message).ToJsonString() : message.Text;
        var entry = new OutboxEntry(time.GetUtcNow(), message.Channel.ToString().ToLowerInvariant(), message.To, message.Subject, body);
        var line = JsonSerializer.Serialize(entry, Json) + "\n";
        var path = Path.GetFullPath(file);
        var gate = Gates.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.AppendAllTextAsync(path, line, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed record OutboxEntry(DateTimeOffset At, string Channel, string To, string? Subject, string Body);
}
