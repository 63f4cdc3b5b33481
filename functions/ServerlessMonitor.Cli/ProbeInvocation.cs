using System.Globalization;
using System.Text.Json;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Cli;

/// <summary>One `sm probe` as asked: the spec to run and how to report it. Built from the arguments, or a usage error.</summary>
internal sealed record ProbeInvocation(ProbeSpec Spec, bool Json, bool AllowPrivateTargets, string Region, DnsblConfig Dnsbl)
{
    public const int DefaultTimeoutSeconds = 10;
    public const double MaxTimeoutSeconds = 30;

    public static ProbeInvocation Parse(string target, string? type, double? timeoutSeconds, string? expect, bool json, Func<string, string?> environment)
    {
        var probeType = type is null ? InferType(target) : ProbeTypes.TryParse(type, out var given) ? given
            : throw new UsageException($"unknown type \"{type}\"; one of {string.Join(", ", ProbeTypes.All.Select(ProbeTypes.Name))}");
        if (!ProbeTarget.TryParse(probeType, target, out _, out var error))
        {
            throw new UsageException($"target for {probeType.Name()}: {error}");
        }

        var seconds = timeoutSeconds ?? DefaultTimeoutSeconds;
        if (seconds is <= 0 or > MaxTimeoutSeconds || double.IsNaN(seconds))
        {
            throw new UsageException($"--timeout takes seconds, more than 0 and at most {MaxTimeoutSeconds}; got {seconds.ToString(CultureInfo.InvariantCulture)}");
        }

        var checks = ParseExpect(expect);
        if (checks?.MisplacedFields(probeType) is { Count: > 0 } misplaced)
        {
            throw new UsageException($"--expect: {string.Join(", ", misplaced)} do(es) not apply to type {probeType.Name()}");
        }

        var spec = new ProbeSpec(probeType, target, checks) { Timeout = TimeSpan.FromSeconds(seconds) };
        return new ProbeInvocation(spec, json, AllowPrivate(environment), environment(SettingCatalog.Region) is { Length: > 0 } region ? region : "local", LoadDnsbl(environment));
    }

    /// <summary>The type a person most likely means: a URL's scheme, host:port means tcp, a bare host means ping.</summary>
    private static ProbeType InferType(string target)
    {
        var scheme = target.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? target[..at].ToLowerInvariant() : null;
        return scheme switch
        {
            "http" => ProbeType.Http,
            "https" => ProbeType.Https,
            not null => throw new UsageException($"cannot tell the type of a {scheme}:// target; give --type"),
            _ => ProbeTarget.TryParse(ProbeType.Tcp, target, out _, out _) ? ProbeType.Tcp : ProbeType.Ping,
        };
    }

    private static ProbeExpect? ParseExpect(string? text)
    {
        try
        {
            return text is null ? null : ProbeJson.ParseExpect(text);
        }
        catch (JsonException error)
        {
            throw new UsageException($"--expect is not a valid expect object: {error.Message}");
        }
    }

    private static DnsblConfig LoadDnsbl(Func<string, string?> environment)
    {
        try
        {
            return DnsblConfig.Load(environment);
        }
        catch (SettingsException error)
        {
            throw new UsageException(error.Message);
        }
    }

    /// <summary>Run by a person on their own machine, loopback and private addresses may be probed unless SM_ALLOW_PRIVATE_TARGETS=false says otherwise.</summary>
    private static bool AllowPrivate(Func<string, string?> environment)
    {
        try
        {
            return MonitorConfig.ParseBoolean(SettingCatalog.AllowPrivateTargets, environment(SettingCatalog.AllowPrivateTargets), fallback: true);
        }
        catch (SettingsException error)
        {
            throw new UsageException(error.Message);
        }
    }
}
