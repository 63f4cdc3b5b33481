using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>A new monitor (strict: unknown fields are refused). Core's MonitorInput reads it; this record describes it.</summary>
/// <param name="Name">Required. 1–100 characters of one line.</param>
/// <param name="Type">Required.</param>
/// <param name="Target">Required. A URL for http/https (scheme = type), host[:port] for tcp (port required) and the banner protocols, a host for ping and dns; for dnsbl an IPv4/IPv6 address, a mail host or domain, or a CIDR block (IPv4 /24–/32, IPv6 /120–/128).</param>
/// <param name="IntervalMinutes">1, 2, 5, 10 or 20, required; dnsbl: fixed by the target, 240 (address, host, domain) or 1440 (block), may be omitted.</param>
/// <param name="TimeoutSeconds">1–30, default 10.</param>
/// <param name="Expect">Type-specific checks. http/https: status[] (100–599), keyword, absent, maxRedirects (0–10), certificateWarningDays; tcp: send, receive; dns: recordType, server, value; ftp/telnet/ssh: banner; smtp/pop3/imap: banner, tls; dnsbl: lists (1–20 blacklist zones).</param>
/// <param name="AlertDelayMinutes">0–60, default 2 (dnsbl: 0).</param>
/// <param name="Escalation">1–10 steps of { afterMinutes 0–1440, channels: 1–10 of the owner's channel ids }; absent or null: every verified channel at once.</param>
/// <param name="RepeatMinutes">1–1440, default 15.</param>
/// <param name="RecoveryPasses">1–10, default 1.</param>
/// <param name="Public">Any API key may read it; default false.</param>
/// <param name="Regions">1–20 of the deployment's regions; absent or null: every region.</param>
/// <param name="Paused">Default false.</param>
public sealed record MonitorCreateRequest(
    string Name,
    ProbeType Type,
    string Target,
    int? IntervalMinutes,
    int? TimeoutSeconds,
    ProbeExpect? Expect,
    int? AlertDelayMinutes,
    IReadOnlyList<EscalationStep>? Escalation,
    int? RepeatMinutes,
    int? RecoveryPasses,
    bool? Public,
    IReadOnlyList<string>? Regions,
    bool? Paused);
