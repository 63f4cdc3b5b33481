using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Outcomes and canary checks as the cycles table holds them: short JSON arrays, packed into
/// string columns of at most <see cref="MaxChars"/> characters (a string property holds 64 KiB of
/// UTF-16), so a region's 10,000 outcomes take a handful of rows and one transaction. A
/// certificate warning adds a short object to the few outcomes that have one; rows written
/// before it existed simply have none. What the cycle's scan found of the monitor row
/// (<see cref="ProbeOutcome.Scanned"/>) is kept in a few characters: nothing for a monitor that is
/// up with no certificate warned about, as nearly all are. Rows written before it was kept are
/// read with <c>scanned: false</c>, and then say nothing of it.
/// </summary>
internal static class StoredOutcomes
{
    public const int MaxChars = 30_000;

    private const string NotScanned = "-";

    /// <summary>Messages are for people reading a verdict's reason; the full one is in the result.</summary>
    private const int MaxMessage = 300;

    /// <summary>A subject is for people reading the notice; X.500 names can be long, and the result keeps the whole one.</summary>
    private const int MaxSubject = 200;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static IReadOnlyList<string> Pack(IEnumerable<ProbeOutcome> outcomes)
    {
        var packed = new List<string>();
        var current = new StringBuilder("[");
        foreach (var outcome in outcomes)
        {
            var item = JsonSerializer.Serialize(
                new Item(outcome.MonitorId, outcome.Error?.Class, outcome.Error?.Code, Cut(outcome.Error?.Message))
                {
                    W = Warned.Of(outcome.Certificate),
                    S = StateCode(outcome.Scanned),
                    R = outcome.Scanned is { WarnedSha256: { } sha256 } scanned ? new Recorded(sha256, scanned.WarnedDaysLeft) : null,
                },
                Json);
            if (current.Length > 1 && current.Length + item.Length + 2 > MaxChars)
            {
                packed.Add(current.Append(']').ToString());
                current.Clear().Append('[');
            }

            current.Append(current.Length > 1 ? "," : string.Empty).Append(item);
        }

        packed.Add(current.Append(']').ToString());
        return packed;
    }

    /// <param name="scanned">The row was written with what the scan found (<see cref="Pack"/> of this version).</param>
    public static IEnumerable<ProbeOutcome> Unpack(string json, bool scanned = false) =>
        (JsonSerializer.Deserialize<List<Item>>(json, Json) ?? []).Select(i => new ProbeOutcome(i.M, i.C is { } c ? new ProbeError(c, i.E ?? string.Empty, i.K) : null, i.W?.Warning())
        {
            Scanned = scanned ? ScannedOf(i) : null,
        });

    public static string WriteCanaries(IEnumerable<CanaryCheck> canaries) =>
        JsonSerializer.Serialize(canaries.Select(c => new Item(c.Target, c.Error?.Class, c.Error?.Code, Cut(c.Error?.Message))), Json);

    public static IReadOnlyList<CanaryCheck> ReadCanaries(string? json) =>
        json is null ? [] : (JsonSerializer.Deserialize<List<Item>>(json, Json) ?? []).Select(i => new CanaryCheck(i.M, i.C is { } c ? new ProbeError(c, i.E ?? string.Empty, i.K) : null)).ToList();

    /// <summary>Up is the common case and is left out; <see cref="NotScanned"/> marks a job that carried no scan.</summary>
    private static string? StateCode(ScannedState? scanned) => scanned switch
    {
        null => NotScanned,
        { State: MonitorState.Up } => null,
        _ => scanned.State.ToString(),
    };

    private static ScannedState? ScannedOf(Item item) => item.S switch
    {
        NotScanned => null,
        null => new ScannedState(MonitorState.Up, item.R?.H, item.R?.D),
        var code => Enum.TryParse<MonitorState>(code, out var state) ? new ScannedState(state, item.R?.H, item.R?.D) : null,
    };

    private static string? Cut(string? message) => message is { Length: > MaxMessage } ? message[..MaxMessage] : message;

    /// <param name="M">Monitor id, or the canary's target.</param>
    /// <param name="C">Error class; absent when it passed.</param>
    /// <param name="K">Error code.</param>
    /// <param name="E">Error message.</param>
    private sealed record Item(
        [property: JsonPropertyName("m")] string M,
        [property: JsonPropertyName("c")] ErrorClass? C,
        [property: JsonPropertyName("k")] string? K,
        [property: JsonPropertyName("e")] string? E)
    {
        /// <summary>The certificate warning, when there was one.</summary>
        [JsonPropertyName("w")]
        public Warned? W { get; init; }

        /// <summary>The monitor's state as scanned; absent when up.</summary>
        [JsonPropertyName("s")]
        public string? S { get; init; }

        /// <summary>The certificate the monitor row records as warned about, as scanned.</summary>
        [JsonPropertyName("r")]
        public Recorded? R { get; init; }
    }

    /// <param name="H">SHA-256 thumbprint of the certificate warned about.</param>
    /// <param name="D">Its days left at the last count.</param>
    private sealed record Recorded(
        [property: JsonPropertyName("h")] string H,
        [property: JsonPropertyName("d")] int? D);

    /// <param name="H">SHA-256 thumbprint (hex).</param>
    /// <param name="D">Whole days left.</param>
    /// <param name="X">Expiry, Unix seconds (a certificate's times have no finer part).</param>
    /// <param name="S">Subject, cut to <see cref="MaxSubject"/>.</param>
    /// <param name="T">The warning window in days.</param>
    private sealed record Warned(
        [property: JsonPropertyName("h")] string H,
        [property: JsonPropertyName("d")] int D,
        [property: JsonPropertyName("x")] long X,
        [property: JsonPropertyName("s")] string S,
        [property: JsonPropertyName("t")] int T)
    {
        public static Warned? Of(CertificateWarning? warning) => warning is null
            ? null
            : new Warned(warning.Sha256, warning.DaysLeft, warning.ExpiresAt.ToUnixTimeSeconds(), warning.Subject.Length > MaxSubject ? warning.Subject[..MaxSubject] : warning.Subject, warning.WarningDays);

        public CertificateWarning Warning() => new(D, DateTimeOffset.FromUnixTimeSeconds(X), S, H, T);
    }
}
