using System.Globalization;
using System.Net;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Settings;

/// <summary>The SM_DNSBL_* settings and SM_SPAMHAUS_DQS_KEY, parsed and checked once at start-up.</summary>
public sealed record DnsblConfig(IReadOnlyList<string> Lists, IPEndPoint? Resolver, string? SpamhausDqsKey, int QueriesPerSecond, int RecheckMinutes)
{
    public const int DefaultRecheckMinutes = 60;

    /// <summary>No setting given: the default lists through the probes' resolver.</summary>
    public static DnsblConfig Default { get; } = Load(_ => null);

    /// <summary>From a source of settings: MonitorConfig's reader, or the environment for the CLI.</summary>
    public static DnsblConfig Load(Func<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? Read(string name) => settings(name)?.Trim() is { Length: > 0 } value ? value : null;

        var lists = Read(SettingCatalog.DnsblLists) is { } text
            ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Zone).Distinct(StringComparer.Ordinal).ToList()
            : [.. DnsblLists.Defaults];
        if (lists.Count is 0 or > MonitorLimits.MaxDnsblLists)
        {
            throw new SettingsException(SettingCatalog.DnsblLists, $"give 1 to {MonitorLimits.MaxDnsblLists} zones");
        }

        IPEndPoint? resolver = null;
        if (Read(SettingCatalog.DnsblResolver) is { } address)
        {
            resolver = DnsServerAddress.Parse(address) ?? throw new SettingsException(SettingCatalog.DnsblResolver, "expected a resolver address: ip, ip:port or [v6]:port");
        }

        var key = Read(SettingCatalog.SpamhausDqsKey);
        if (key is not null && !key.All(char.IsAsciiLetterOrDigit))
        {
            throw new SettingsException(SettingCatalog.SpamhausDqsKey, "a DQS key is letters and digits");
        }

        return new DnsblConfig(
            lists,
            resolver,
            key?.ToLowerInvariant(),
            Integer(SettingCatalog.DnsblQueriesPerSecond, Read(SettingCatalog.DnsblQueriesPerSecond), DnsblOptions.DefaultQueriesPerSecond, 1, 1000),
            Integer(SettingCatalog.DnsblRecheckMinutes, Read(SettingCatalog.DnsblRecheckMinutes), DefaultRecheckMinutes, 1, 1440));

        static string Zone(string zone) =>
            MonitorTarget.Normalize(ProbeType.Dns, zone, out _) is { } name && zone.Contains('.', StringComparison.Ordinal) && !IPAddress.TryParse(zone, out _)
                ? name.Stored
                : throw new SettingsException(SettingCatalog.DnsblLists, $"\"{zone}\" is not a blacklist zone");
    }

    /// <summary>The probe's view; the pacer is the process's one.</summary>
    public DnsblOptions ToOptions(TimeProvider time) => new()
    {
        Lists = Lists,
        Resolver = Resolver,
        SpamhausDqsKey = SpamhausDqsKey,
        Pacer = new DnsblPacer(QueriesPerSecond, time),
    };

    private static int Integer(string setting, string? text, int fallback, int min, int max) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw new SettingsException(setting, $"must be a whole number from {min} to {max}");
}
