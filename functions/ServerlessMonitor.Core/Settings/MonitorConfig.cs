using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Core.Settings;

/// <summary>The settings as the code uses them, parsed and checked once at start-up.</summary>
public sealed partial record MonitorConfig
{
    public required RuntimeMode Mode { get; init; }
    public required string Region { get; init; }
    public required IReadOnlyList<string> Regions { get; init; }
    public required string PrimaryRegion { get; init; }
    public required Uri PublicBaseUrl { get; init; }
    public required bool AllowPrivateTargets { get; init; }
    public required string? TokenSecret { get; init; }

    /// <summary>SM_WEBHOOK_KEY: the secret webhook signing secrets are encrypted with; null: no webhook channels.</summary>
    public required string? WebhookKey { get; init; }
    public required StorageConfig Storage { get; init; }
    public required string TaskHub { get; init; }
    public required AcsConfig? Acs { get; init; }
    public required string? EmailSender { get; init; }
    public required string? SmsSender { get; init; }

    /// <summary>SM_OPERATOR_EMAIL: where alerts about the deployment itself go; null: they are only logged.</summary>
    public required string? OperatorEmail { get; init; }

    /// <summary>SM_EMAIL_HOURLY_BUDGET: emails per hour for all regions together; 0: no budget.</summary>
    public required int EmailHourlyBudget { get; init; }

    /// <summary>SM_SMS_HOURLY_BUDGET: SMS per hour; 0: no budget.</summary>
    public required int SmsHourlyBudget { get; init; }

    /// <summary>SM_CONFIRMATION_SHARE: the percent of a budget confirmations may use.</summary>
    public required int ConfirmationSharePercent { get; init; }

    /// <summary>Length of the scheduling minute: 60 s in Azure, SM_MINUTE_SECONDS in the local runtime.</summary>
    public required TimeSpan MinuteLength { get; init; }

    /// <summary>host:port targets each cycle connects to, to check the region's own network.</summary>
    public required IReadOnlyList<string> CanaryTargets { get; init; }

    /// <summary>Probes one instance runs per cycle before it fans the rest out to its shard queue.</summary>
    public required int CycleBudget { get; init; }

    /// <summary>The dnsbl monitors' lists, resolver, key and pace (SM_DNSBL_*, SM_SPAMHAUS_DQS_KEY).</summary>
    public DnsblConfig Dnsbl { get; init; } = DnsblConfig.Default;

    public required int Port { get; init; }
    public required string DataDir { get; init; }

    public bool IsPrimary => Region == PrimaryRegion;

    /// <summary>The public base URL as text, without a trailing slash.</summary>
    public string PublicBase => PublicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public static MonitorConfig Load(IConfiguration configuration, RuntimeMode mode)
    {
        string? Read(string name)
        {
            var value = configuration[name]?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        var region = Read(SettingCatalog.Region) ?? "local";
        var regions = ParseRegionList(SettingCatalog.Regions, Read(SettingCatalog.Regions) ?? region);
        if (regions.Count == 0)
        {
            throw new SettingsException(SettingCatalog.Regions, "at least one region is needed");
        }

        if (!regions.Contains(region))
        {
            ParseRegionList(SettingCatalog.Region, region);
        }

        var primary = Read(SettingCatalog.PrimaryRegion) ?? regions[0];
        if (!regions.Contains(primary))
        {
            throw new SettingsException(SettingCatalog.PrimaryRegion, $"\"{primary}\" is not one of SM_REGIONS ({string.Join(", ", regions)})");
        }

        var port = ParseInteger(SettingCatalog.Port, Read(SettingCatalog.Port) ?? "7071", 0, 65535);
        var minuteSeconds = mode == RuntimeMode.Local
            ? ParseNumber(SettingCatalog.MinuteSeconds, Read(SettingCatalog.MinuteSeconds) ?? "60", 0.05, 3600)
            : 60;

        var baseText = (Read(SettingCatalog.PublicBaseUrl) ?? $"http://127.0.0.1:{port}").TrimEnd('/');
        if (!Uri.TryCreate(baseText, UriKind.Absolute, out var publicBase) || (publicBase.Scheme != Uri.UriSchemeHttp && publicBase.Scheme != Uri.UriSchemeHttps))
        {
            throw new SettingsException(SettingCatalog.PublicBaseUrl, "must be an absolute http(s) URL");
        }

        string? ReadSecret(string name)
        {
            var secret = Read(name);
            if (secret is not null && secret.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            {
                throw new SettingsException(name, "is an unresolved Key Vault reference: the app's identity cannot read the secret");
            }

            return secret is not null && secret.Length < 32 ? throw new SettingsException(name, "must be at least 32 characters") : secret;
        }

        var tokenSecret = ReadSecret(SettingCatalog.TokenSecret);
        var webhookKey = ReadSecret(SettingCatalog.WebhookKey);

        var taskHub = Read(SettingCatalog.TaskHub) ?? "ServerlessMonitor";
        if (!TaskHubPattern().IsMatch(taskHub))
        {
            throw new SettingsException(SettingCatalog.TaskHub, "must be 3 to 45 letters and digits, starting with a letter");
        }

        return new MonitorConfig
        {
            Mode = mode,
            Region = region,
            Regions = regions,
            PrimaryRegion = primary,
            PublicBaseUrl = publicBase,
            AllowPrivateTargets = ParseBoolean(SettingCatalog.AllowPrivateTargets, Read(SettingCatalog.AllowPrivateTargets), mode == RuntimeMode.Local),
            TokenSecret = tokenSecret,
            WebhookKey = webhookKey,
            Storage = LoadStorage(Read),
            TaskHub = taskHub,
            Acs = LoadAcs(Read),
            EmailSender = Read(SettingCatalog.EmailSender),
            SmsSender = Read(SettingCatalog.SmsSender),
            OperatorEmail = Read(SettingCatalog.OperatorEmail) is { } operatorEmail
                ? EmailAddress.Normalize(operatorEmail) ?? throw new SettingsException(SettingCatalog.OperatorEmail, "is not an email address")
                : null,
            EmailHourlyBudget = ParseInteger(SettingCatalog.EmailHourlyBudget, Read(SettingCatalog.EmailHourlyBudget) ?? (mode == RuntimeMode.Azure ? "100" : "0"), 0, 10_000_000),
            SmsHourlyBudget = ParseInteger(SettingCatalog.SmsHourlyBudget, Read(SettingCatalog.SmsHourlyBudget) ?? (mode == RuntimeMode.Azure ? "12000" : "0"), 0, 10_000_000),
            ConfirmationSharePercent = ParseInteger(SettingCatalog.ConfirmationShare, Read(SettingCatalog.ConfirmationShare) ?? "50", 0, 100),
            MinuteLength = TimeSpan.FromMilliseconds(Math.Round(minuteSeconds * 1000)),
            CanaryTargets = LoadCanaries(Read, mode),
            CycleBudget = ParseInteger(SettingCatalog.CycleBudget, Read(SettingCatalog.CycleBudget) ?? "2000", 1, 1_000_000),
            Dnsbl = DnsblConfig.Load(Read),
            Port = port,
            DataDir = Read(SettingCatalog.DataDir) ?? (mode == RuntimeMode.Local ? ".data" : Path.Combine(Path.GetTempPath(), "serverless-monitor")),
        };
    }

    public static IReadOnlyList<string> ParseRegionList(string setting, string value)
    {
        var regions = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var r in regions)
        {
            if (!RegionPattern().IsMatch(r))
            {
                throw new SettingsException(setting, $"region names are lower-case letters, digits and dashes: \"{r}\"");
            }
        }

        if (regions.Distinct(StringComparer.Ordinal).Count() != regions.Length)
        {
            throw new SettingsException(setting, "a region is listed twice");
        }

        return regions;
    }

    public static bool ParseBoolean(string setting, string? value, bool fallback) => value?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new SettingsException(setting, $"expected true or false, got \"{value}\""),
    };

    private static int ParseInteger(string setting, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new SettingsException(setting, $"expected a whole number from {min} to {max}, got \"{value}\"");

    private static double ParseNumber(string setting, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new SettingsException(setting, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got \"{value}\"");

    private static StorageConfig LoadStorage(Func<string, string?> read)
    {
        if (read(SettingCatalog.Storage) is { } connectionString)
        {
            return new StorageConfig.ConnectionString(connectionString);
        }

        var account = read(SettingCatalog.StorageAccountName)
            ?? throw new SettingsException(SettingCatalog.Storage, "set a connection string, or AzureWebJobsStorage__accountName for identity-based access");
        if (!StorageAccountPattern().IsMatch(account))
        {
            throw new SettingsException(SettingCatalog.StorageAccountName, "is not a storage account name");
        }

        return new StorageConfig.Identity(
            new Uri($"https://{account}.table.core.windows.net"),
            new Uri($"https://{account}.queue.core.windows.net"),
            new Uri($"https://{account}.blob.core.windows.net"),
            read(SettingCatalog.StorageClientId));
    }

    private static AcsConfig? LoadAcs(Func<string, string?> read)
    {
        if (read(SettingCatalog.AcsConnectionString) is { } connectionString)
        {
            return new AcsConfig.ConnectionString(connectionString);
        }

        if (read(SettingCatalog.AcsEndpoint) is not { } endpoint)
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new SettingsException(SettingCatalog.AcsEndpoint, "must be an https URL");
        }

        return new AcsConfig.Identity(uri, read(SettingCatalog.StorageClientId));
    }

    /// <summary>
    /// Canaries default to what a region must reach anyway: the storage account's table endpoint,
    /// plus, in Azure, two anycast resolvers on TCP 53 (other networks than Azure's storage).
    /// </summary>
    private static IReadOnlyList<string> LoadCanaries(Func<string, string?> read, RuntimeMode mode)
    {
        if (read(SettingCatalog.CanaryTargets) is { } configured)
        {
            var targets = configured.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var t in targets)
            {
                if (!HostPortPattern().IsMatch(t))
                {
                    throw new SettingsException(SettingCatalog.CanaryTargets, $"expected host:port, got \"{t}\"");
                }
            }

            return targets;
        }

        var storage = StorageEndpoint(read);
        List<string> defaults = storage is null ? [] : [storage];
        if (mode == RuntimeMode.Azure)
        {
            defaults.AddRange(["1.1.1.1:53", "8.8.8.8:53"]);
        }

        return defaults;
    }

    private static string? StorageEndpoint(Func<string, string?> read)
    {
        if (read(SettingCatalog.Storage) is not { } connectionString)
        {
            return read(SettingCatalog.StorageAccountName) is { } account ? $"{account}.table.core.windows.net:443" : null;
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("TableEndpoint", out var endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return $"{uri.Host}:{uri.Port}";
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return "127.0.0.1:10002";
        }

        return parts.TryGetValue("AccountName", out var name)
            ? $"{name}.table.{(parts.TryGetValue("EndpointSuffix", out var suffix) ? suffix : "core.windows.net")}:443"
            : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubPattern();

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex StorageAccountPattern();

    [GeneratedRegex(@"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$")]
    private static partial Regex HostPortPattern();
}
