namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// POP3 (RFC 1939): a "+OK" greeting; STLS (RFC 2595) when offered or required, then CAPA again
/// over TLS as RFC 2595 asks; POP3S on port 995 (or tls implicit) speaks TLS from the start.
/// </summary>
internal sealed class Pop3Probe(ProbeTarget.HostPort target, ProbeExpect expect) : IProtocolProbe
{
    private const int Pop3sPort = 995;
    private const int MaxCapabilities = 100;

    public async Task RunAsync(ProbeRun run)
    {
        var endpoint = MailEndpoint.For(target, expect.Tls, Pop3sPort);
        var conversation = await endpoint.OpenAsync(run).ConfigureAwait(false);
        var greeting = await conversation.ReadLineAsync("the POP3 greeting").ConfigureAwait(false);
        run.Server = Excerpt.Of(greeting, 200);
        if (greeting.StartsWith("-ERR", StringComparison.Ordinal))
        {
            throw new ProbeFailure(ErrorClass.Status, $"the server refused the session: \"{Excerpt.Of(greeting)}\"");
        }

        if (!greeting.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"expected a POP3 greeting (\"+OK\"), got \"{Excerpt.Of(greeting)}\"");
        }

        Excerpt.ExpectBanner(greeting, expect.Banner);
        if (endpoint.MayUpgrade)
        {
            var offered = (await CapabilitiesAsync(conversation).ConfigureAwait(false)).Any(capability => capability.StartsWith("STLS", StringComparison.Ordinal));
            if (endpoint.ShouldStartTls(offered, "STLS"))
            {
                await conversation.SendAsync("STLS").ConfigureAwait(false);
                var ready = await conversation.ReadLineAsync("the answer to STLS").ConfigureAwait(false);
                if (!ready.StartsWith("+OK", StringComparison.Ordinal))
                {
                    throw new ProbeFailure(ErrorClass.Tls, $"STLS was answered with \"{Excerpt.Of(ready)}\"");
                }

                await conversation.UpgradeToTlsAsync(endpoint.Host).ConfigureAwait(false);
                await CapabilitiesAsync(conversation).ConfigureAwait(false);
            }
        }

        await conversation.CloseAsync("QUIT").ConfigureAwait(false);
    }

    /// <summary>CAPA (RFC 2449); a server without it (-ERR) offers no STLS.</summary>
    private static async Task<List<string>> CapabilitiesAsync(LineConversation conversation)
    {
        await conversation.SendAsync("CAPA").ConfigureAwait(false);
        var status = await conversation.ReadLineAsync("the answer to CAPA").ConfigureAwait(false);
        var found = new List<string>();
        if (!status.StartsWith("+OK", StringComparison.Ordinal))
        {
            return found;
        }

        while (true)
        {
            var line = await conversation.ReadLineAsync("the capability list").ConfigureAwait(false);
            if (line == ".")
            {
                return found;
            }

            found.Add(line.ToUpperInvariant());
            if (found.Count > MaxCapabilities)
            {
                throw new ProbeFailure(ErrorClass.Protocol, $"the capability list did not end after {MaxCapabilities} lines");
            }
        }
    }
}
