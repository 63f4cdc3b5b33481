using System.Text.Json;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A create or patch request read into a <see cref="MonitorDefinition"/>: strict objects, every
/// limit and default of shared/BEHAVIOUR.md, the target in its stored spelling, escalation steps
/// sorted with repeated channels dropped. The first problem is a validation refusal naming the
/// field by its dotted path. What needs the world (the owner's channels, the SSRF check) is
/// <see cref="MonitorService"/>'s.
/// </summary>
public static class MonitorInput
{
    /// <summary>The fields of a create or patch body (the API's request records declare the same).</summary>
    public static IReadOnlyList<string> Fields { get; } =
    [
        "name", "type", "target", "intervalMinutes", "timeoutSeconds", "expect", "alertDelayMinutes",
        "escalation", "repeatMinutes", "recoveryPasses", "public", "regions", "paused",
    ];

    /// <summary>A new monitor's definition; <paramref name="regions"/> are the deployment's.</summary>
    public static MonitorEdit ParseCreate(JsonElement body, IReadOnlyList<string> regions) => Read(body, null, regions);

    /// <summary>
    /// <paramref name="current"/> with the patch applied, validated as a whole: changing the type
    /// alone must still leave a target that suits the new type. Only <c>expect</c>,
    /// <c>escalation</c> and <c>regions</c> accept null (back to their defaults); a new type
    /// without an <c>expect</c> starts from none, as checks for the old type rarely suit it.
    /// </summary>
    public static MonitorEdit ParsePatch(MonitorDefinition current, JsonElement body, IReadOnlyList<string> regions)
    {
        ArgumentNullException.ThrowIfNull(current);
        return Read(body, current, regions);
    }

    private static MonitorEdit Read(JsonElement body, MonitorDefinition? current, IReadOnlyList<string> knownRegions)
    {
        ArgumentNullException.ThrowIfNull(knownRegions);
        var f = JsonFields.Of(body, null).Strict(Fields);
        var create = current is null;
        var name = f.Has("name") || create ? Name(f) : current!.Name;
        var type = f.Has("type") || create ? Type(f) : current!.Type;
        var typeChanged = current is not null && type != current.Type;
        var target = Target(f, type, f.Has("target") || create ? f.String("target", 1, 2048, required: true)! : current!.Target);
        var interval = Interval(f, type, target, current);
        var expect = !f.Has("expect") ? (create || typeChanged ? ProbeExpect.None : current!.Expect)
            : f.Value("expect", required: false, nullable: !create) is { } e ? ExpectInput.Parse(type, e)
            : ProbeExpect.None;
        var definition = new MonitorDefinition(
            name,
            type,
            target.Stored,
            interval,
            Keep(f, "timeoutSeconds", current?.TimeoutSeconds, MonitorLimits.DefaultTimeoutSeconds, 1, MonitorLimits.MaxTimeoutSeconds),
            expect,
            Keep(f, "alertDelayMinutes", typeChanged && (type == ProbeType.Dnsbl || current!.Type == ProbeType.Dnsbl) ? null : current?.AlertDelayMinutes, type == ProbeType.Dnsbl ? MonitorLimits.DnsblAlertDelayMinutes : MonitorLimits.DefaultAlertDelayMinutes, 0, MonitorLimits.MaxAlertDelayMinutes),
            f.Has("escalation") ? Escalation(f, "escalation") : current?.Escalation,
            Keep(f, "repeatMinutes", current?.RepeatMinutes, MonitorLimits.DefaultRepeatMinutes, 1, MonitorLimits.MaxRepeatMinutes),
            Keep(f, "recoveryPasses", current?.RecoveryPasses, MonitorLimits.DefaultRecoveryPasses, 1, MonitorLimits.MaxRecoveryPasses),
            f.Boolean("public") ?? current?.Public ?? false,
            f.Has("regions") ? Regions(f, knownRegions) : current?.Regions,
            f.Boolean("paused") ?? current?.Paused ?? false);
        return new MonitorEdit(definition, target, f.Names.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// An alert path: 1–10 steps of <c>{ afterMinutes, channels }</c>, sorted by time, repeated
    /// channels of a step dropped; null when the field is null. Receivers' own paths read the same way.
    /// </summary>
    internal static IReadOnlyList<EscalationStep>? Escalation(JsonFields f, string name) =>
        f.Array(name, 1, MonitorLimits.MaxEscalationSteps, Step, nullable: true) is { } steps
            ? [.. steps.OrderBy(s => s.AfterMinutes)]
            : null;

    private static EscalationStep Step(JsonElement value, string at)
    {
        var step = JsonFields.Of(value, at).Strict(["afterMinutes", "channels"]);
        var after = step.Integer("afterMinutes", 0, MonitorLimits.MaxAfterMinutes, required: true)!.Value;
        var channels = step.Array("channels", 1, MonitorLimits.MaxChannelsPerStep, ChannelId) ?? throw Refusal.Invalid("required", step.PathOf("channels"));
        return new EscalationStep(after, [.. channels.Distinct(StringComparer.Ordinal)]);
    }

    private static string ChannelId(JsonElement value, string at)
    {
        var id = JsonFields.StringOf(value, at);
        return Ids.Is(id, Ids.Channel) ? id : throw Refusal.Invalid("not a channel id", at);
    }

    private static string Name(JsonFields f)
    {
        var (value, problem) = PlainText.Check(f.String("name", required: true)!, MonitorLimits.MaxNameLength, "name");
        return value ?? throw Refusal.Invalid(problem!, "name");
    }

    private static ProbeType Type(JsonFields f) =>
        ProbeTypes.TryParse(f.String("type", required: true)!, out var type)
            ? type
            : throw Refusal.Invalid($"must be one of {string.Join(", ", ProbeTypes.All.Select(t => t.Name()))}", "type");

    private static MonitorTarget Target(JsonFields f, ProbeType type, string text) =>
        MonitorTarget.Normalize(type, text, out var error) ?? throw Refusal.Invalid(error!, f.PathOf("target"));

    /// <summary>
    /// dnsbl: fixed by the target's kind (<see cref="DnsblInterval"/>), which the field may give or
    /// leave out; other types: one of <see cref="MonitorLimits.Intervals"/>, required on create and
    /// when a patch leaves dnsbl (its interval suits no other type).
    /// </summary>
    private static int Interval(JsonFields f, ProbeType type, MonitorTarget target, MonitorDefinition? current)
    {
        if (type == ProbeType.Dnsbl)
        {
            var fixedMinutes = DnsblInterval(target.Stored);
            var given = f.Integer("intervalMinutes", int.MinValue, int.MaxValue);
            return given is null || given == fixedMinutes
                ? fixedMinutes
                : throw Refusal.Invalid($"a dnsbl monitor of {(fixedMinutes == MonitorLimits.DnsblBlockIntervalMinutes ? "an address block" : "an address, host or domain")} is checked every {fixedMinutes} minutes: give {fixedMinutes} or leave intervalMinutes out", "intervalMinutes");
        }

        if (!f.Has("intervalMinutes") && current is not null && current.Type != ProbeType.Dnsbl)
        {
            return current.IntervalMinutes;
        }

        var minutes = f.Integer("intervalMinutes", int.MinValue, int.MaxValue, required: true)!.Value;
        return MonitorLimits.Intervals.Contains(minutes)
            ? minutes
            : throw Refusal.Invalid($"intervalMinutes must be {string.Join(", ", MonitorLimits.Intervals.SkipLast(1))} or {MonitorLimits.Intervals[^1]}", "intervalMinutes");
    }

    /// <summary>The fixed interval of a dnsbl monitor: a day for a block (CIDR), 4 hours for the rest.</summary>
    public static int DnsblInterval(string storedTarget)
    {
        ArgumentNullException.ThrowIfNull(storedTarget);
        return storedTarget.Contains('/', StringComparison.Ordinal) ? MonitorLimits.DnsblBlockIntervalMinutes : MonitorLimits.DnsblIntervalMinutes;
    }

    /// <summary>The field if given, else the current value (patch) or the default (create).</summary>
    private static int Keep(JsonFields f, string name, int? current, int fallback, int min, int max) =>
        f.Integer(name, min, max) ?? current ?? fallback;

    private static IReadOnlyList<string>? Regions(JsonFields f, IReadOnlyList<string> known)
    {
        var regions = f.Array("regions", 1, MonitorLimits.MaxRegions, JsonFields.StringOf, nullable: true);
        if (regions is null)
        {
            return null;
        }

        for (var i = 0; i < regions.Count; i++)
        {
            if (!known.Contains(regions[i], StringComparer.Ordinal))
            {
                throw Refusal.Invalid($"\"{regions[i]}\" is not a region of this deployment ({string.Join(", ", known)})", $"regions.{i}");
            }
        }

        return [.. regions.Distinct(StringComparer.Ordinal)];
    }
}
