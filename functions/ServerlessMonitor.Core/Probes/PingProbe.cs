namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// "Ping" is a TCP-connect ping: Azure does not let functions send ICMP. The host is up when a
/// TCP connection opens: on the port given, or else on 443, and on 80 when 443 refuses (a web
/// server without TLS). A refusal on both is a failure: a reset can come from a firewall in
/// front of a dead host, so only an accepted connection proves the host works.
/// </summary>
internal sealed class PingProbe(ProbeTarget.HostPort target) : IProtocolProbe
{
    private static readonly int[] DefaultPorts = [443, 80];

    public async Task RunAsync(ProbeRun run)
    {
        var addresses = await run.ResolveAsync(target.Host).ConfigureAwait(false);
        int[] ports = target.PortGiven ? [target.Port] : DefaultPorts;
        for (var i = 0; ; i++)
        {
            try
            {
                await run.ConnectAsync(addresses, ports[i]).ConfigureAwait(false);
                return;
            }
            catch (ProbeFailure failure) when (failure.Code == "ECONNREFUSED")
            {
                if (i == ports.Length - 1)
                {
                    throw ports.Length > 1
                        ? new ProbeFailure(ErrorClass.Connect, $"connection refused on ports {string.Join(" and ", ports)}", "ECONNREFUSED")
                        : failure;
                }
            }
        }
    }
}
