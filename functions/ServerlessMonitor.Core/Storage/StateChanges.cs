using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// A minute's state changes as the cycles table holds them: short JSON arrays in string columns
/// of at most <see cref="StoredOutcomes.MaxChars"/> characters, so a whole region's suppressed
/// cycle (every monitor changing at once) still takes a few rows. The minute and its start are
/// the row's; each item is only (monitor, from, to).
/// </summary>
internal static class StateChanges
{
    private static readonly JsonSerializerOptions Json = new();

    public static IReadOnlyList<string> Pack(IEnumerable<StateChange> changes)
    {
        var packed = new List<string>();
        var current = new StringBuilder("[");
        foreach (var change in changes)
        {
            var item = JsonSerializer.Serialize(new Item(change.MonitorId, change.From.ToString(), change.To.ToString()), Json);
            if (current.Length > 1 && current.Length + item.Length + 2 > StoredOutcomes.MaxChars)
            {
                packed.Add(current.Append(']').ToString());
                current.Clear().Append('[');
            }

            current.Append(current.Length > 1 ? "," : string.Empty).Append(item);
        }

        if (current.Length > 1)
        {
            packed.Add(current.Append(']').ToString());
        }

        return packed;
    }

    public static IEnumerable<StateChange> Unpack(string json, long minute, DateTimeOffset? at) =>
        (JsonSerializer.Deserialize<List<Item>>(json, Json) ?? [])
            .Select(i => new StateChange(i.M, Parse(i.F), Parse(i.T), minute, at ?? default));

    private static MonitorState Parse(string state) => Enum.TryParse<MonitorState>(state, out var parsed) ? parsed : MonitorState.Unknown;

    /// <param name="M">Monitor id.</param>
    /// <param name="F">State before.</param>
    /// <param name="T">State after.</param>
    private sealed record Item(
        [property: JsonPropertyName("m")] string M,
        [property: JsonPropertyName("f")] string F,
        [property: JsonPropertyName("t")] string T);
}
