using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Accounts.Channels;

/// <summary>
/// Where alerts can go, each in one stored spelling, so the same address added twice is
/// recognised as the same channel: email addresses (lower-case), phone numbers (E.164) and
/// webhook URLs (http(s), no credentials, no fragment). A webhook's host is checked against the
/// SSRF policy here, at save time, as an early and friendly answer; delivery checks every
/// address again when it connects.
/// </summary>
public sealed partial class ChannelAddresses(IProbeNetwork network, MonitorConfig config)
{
    public const int MaxLength = 2048;

    /// <summary>A resolver that does not answer in this time does not hold up the request: the name is accepted.</summary>
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The stored spelling of an address of this kind; a 400 refusal (field <c>address</c>) when it is not one.</summary>
    public async Task<string> NormalizeAsync(ChannelKind kind, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length > MaxLength)
        {
            throw Refusal.Invalid($"the address is longer than {MaxLength} characters", "address");
        }

        return kind switch
        {
            ChannelKind.Email => EmailAddress.Normalize(address) ?? throw Refusal.Invalid("not an email address", "address"),
            ChannelKind.Sms => Phone(address),
            ChannelKind.Webhook => await WebhookAsync(address, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>People write +1 (415) 555-0100; ACS wants +14155550100.</summary>
    private static string Phone(string address)
    {
        var phone = string.Concat(address.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '(' or ')' or '.')));
        return E164().IsMatch(phone) ? phone : throw Refusal.Invalid("expected a phone number in E.164 form, e.g. +14155550100", "address");
    }

    private async Task<string> WebhookAsync(string address, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Refusal.Invalid("expected an http(s) URL such as https://hooks.example.com/alerts", "address");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw Refusal.Invalid("credentials in the URL are not accepted; put a secret in the path instead", "address");
        }

        if (uri.IdnHost.Length == 0)
        {
            throw Refusal.Invalid("the URL has no host", "address");
        }

        if (await RefusalAsync(uri, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            throw new Refusal(RefusalKind.Invalid, "target_not_allowed", reason, "address");
        }

        // ASCII throughout (punycode host, escaped path), host lower-case, default port left out, no fragment.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost.ToLowerInvariant();
        var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return $"{uri.Scheme}://{host}{port}{uri.PathAndQuery}";
    }

    /// <summary>
    /// Why the host may not be connected to, or null when it may: an address literal is judged as
    /// it is, a name by every address it resolves to. A name that does not resolve (yet) is
    /// accepted, as for monitors; delivery will refuse it if it later resolves to a blocked address.
    /// </summary>
    private async Task<string?> RefusalAsync(Uri uri, CancellationToken cancellationToken)
    {
        var host = uri.IdnHost;
        IReadOnlyList<IPAddress> addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (AddressPolicy.BlockedReason(address, config.AllowPrivateTargets) is { } reason)
            {
                var subject = address.Equals(literal) ? address.ToString() : $"{host} resolves to {address}, which";
                return $"{subject} is a {reason} address, which is not allowed";
            }
        }

        return null;
    }

    private async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            return await NameLookup.AddressesAsync(network, host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProbeFailure or DnsClient.DnsResponseException or System.Net.Sockets.SocketException)
        {
            return [];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
