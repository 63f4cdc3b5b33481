using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Functions.Http;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>
/// Reads PUT …/receivers/me: the answer and the receiver's own path, with the limits of a
/// monitor's escalation (BEHAVIOUR.md). The first problem is a 400 naming its dotted path
/// (<c>escalation.0.channels.1</c>); whether the channels are the caller's own is the domain's check.
/// </summary>
public static partial class ReceiverAnswerReader
{
    private const int MaxSteps = 10;
    private const int MaxChannels = 10;
    private const int MaxAfterMinutes = 1440;
    private const int MaxRepeatMinutes = 1440;

    public static ReceiverAnswer Read(BodyObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        body.Strict<ReceiverAnswerRequest>();
        var answer = new ReceiverAnswer(body.Boolean("accept", required: true)!.Value);
        if (body.Element.TryGetProperty("escalation", out var escalation))
        {
            answer = answer with { SetsEscalation = true, Escalation = escalation.ValueKind == JsonValueKind.Null ? null : Steps(escalation) };
        }

        if (body.Element.TryGetProperty("repeatMinutes", out var repeat))
        {
            answer = answer with { SetsRepeat = true, RepeatMinutes = repeat.ValueKind == JsonValueKind.Null ? null : Whole(repeat, 1, MaxRepeatMinutes, "repeatMinutes") };
        }

        return answer;
    }

    /// <summary>Sorted by afterMinutes (stable), each step's channels without repeats.</summary>
    private static IReadOnlyList<EscalationStep> Steps(JsonElement value)
    {
        var steps = Array(value, MaxSteps, "escalation").Select((step, i) => Step(step, $"escalation.{i}")).ToList();
        return [.. steps.OrderBy(s => s.AfterMinutes)];
    }

    private static EscalationStep Step(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ApiProblem.Invalid("expected an object", path);
        }

        var unknown = Names(value, path).Where(n => n is not ("afterMinutes" or "channels")).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw ApiProblem.Invalid($"unknown field{(unknown.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", unknown)}", path);
        }

        var after = value.TryGetProperty("afterMinutes", out var a) ? Whole(a, 0, MaxAfterMinutes, $"{path}.afterMinutes") : throw ApiProblem.Invalid("required", $"{path}.afterMinutes");
        var channels = value.TryGetProperty("channels", out var c) ? Array(c, MaxChannels, $"{path}.channels").Select((id, j) => ChannelId(id, $"{path}.channels.{j}")).ToList() : throw ApiProblem.Invalid("required", $"{path}.channels");
        return new EscalationStep(after, [.. channels.Distinct(StringComparer.Ordinal)]);
    }

    private static List<JsonElement> Array(JsonElement value, int max, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ApiProblem.Invalid("expected an array", path);
        }

        var items = value.EnumerateArray().ToList();
        return items.Count >= 1 && items.Count <= max ? items : throw ApiProblem.Invalid($"expected 1 to {max} items", path);
    }

    private static int Whole(JsonElement value, int min, int max, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max
            ? n
            : throw ApiProblem.Invalid($"expected a whole number from {min} to {max}", path);

    // Channel ids are ASCII, so the raw text is compared: an escaped lone surrogate is not text, and not an id either.
    private static string ChannelId(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && value.GetRawText() is var raw && ChannelIdPattern().IsMatch(raw)
            ? raw[1..^1]
            : throw ApiProblem.Invalid("not a channel id", path);

    private static List<string> Names(JsonElement value, string path)
    {
        try
        {
            return [.. value.EnumerateObject().Select(p => p.Name)];
        }
        catch (InvalidOperationException)
        {
            // A name with an escaped lone surrogate: valid JSON, not text.
            throw ApiProblem.Invalid("a field name is not valid Unicode", path);
        }
    }

    [GeneratedRegex("^\"c[a-z0-9]{20}\"$")]
    private static partial Regex ChannelIdPattern();
}
