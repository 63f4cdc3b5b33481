using System.Net;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// The SSRF policy at save time (DESIGN.md, Security). Probes check every address again at every
/// connection, so this is the early, friendly answer, not the only guard:
/// an address is checked as it is; a name is resolved the way probes resolve it, and refused when
/// an address it resolves to is blocked; a name that does not resolve (yet, or the resolver is
/// failing) is accepted, since a monitor may watch a host still being set up, and its probes will
/// report <c>dns</c> (or <c>blocked</c>) failures. A dns monitor's name is only looked up, never
/// connected to, so only its resolver (<c>expect.server</c>) is checked. A dnsbl monitor's target
/// is never connected to or asked anything: blacklists are asked about it, so nothing is checked.
/// </summary>
public sealed class TargetPolicy(IProbeNetwork network, ProbeOptions options)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Why the monitor may not be saved with this target, and the field at fault; null when it may.</summary>
    public async Task<(string Field, string Message)?> RefusalAsync(ProbeType type, MonitorTarget target, ProbeExpect expect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(expect);
        if (type == ProbeType.Dnsbl)
        {
            return null;
        }

        if (type == ProbeType.Dns)
        {
            if (expect.Server is null || DnsServerAddress.Parse(expect.Server) is not { } server)
            {
                return null;
            }

            return AddressPolicy.BlockedReason(server.Address, options.AllowPrivateTargets) is { } reason
                ? ("expect.server", $"{server.Address} is a {reason} address, which monitors may not use")
                : null;
        }

        foreach (var address in await AddressesAsync(target.Host, cancellationToken).ConfigureAwait(false))
        {
            if (AddressPolicy.BlockedReason(address, options.AllowPrivateTargets) is { } reason)
            {
                var subject = address.ToString() == target.Host ? address.ToString() : $"{target.Host} resolves to {address}, which";
                return ("target", $"{subject} is a {reason} address, which is not allowed");
            }
        }

        return null;
    }

    /// <summary>The addresses a probe would connect to; none when the name does not resolve in time.</summary>
    private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            return await NameLookup.AddressesAsync(network, host, timeout.Token).ConfigureAwait(false);
        }
        catch (ProbeFailure)
        {
            return [];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }
}
