using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// One shard of a region's cycle on its way through the region's queue: everything a worker
/// needs to probe it as the timer's instance would have, and nothing it would have to look up.
/// </summary>
/// <param name="Shard">The shard's number in its cycle: its outcomes are part "s&lt;n&gt;".</param>
public sealed record ShardMessage(string Region, long Minute, DateTimeOffset MinuteAt, DateTimeOffset Deadline, int Shard, IReadOnlyList<ProbeJob> Jobs)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new UtcTimeJsonConverter() },
    };

    [JsonIgnore]
    public ProbeBatch Batch => new(Region, Minute, MinuteAt, Deadline, $"s{Shard}", Jobs);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static string JobJson(ProbeJob job) => JsonSerializer.Serialize(job, Json);

    /// <summary>The message, or null when it is not one (such a message can never succeed).</summary>
    public static ShardMessage? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ShardMessage>(json, Json) is { Region: not null, Jobs: not null } message && message.Jobs.All(j => j is { MonitorId: not null, Target: not null, Expect: not null })
                ? message
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
