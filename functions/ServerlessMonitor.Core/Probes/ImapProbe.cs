using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// IMAP (RFC 9051): an "* OK" (or "* PREAUTH") greeting; STARTTLS when offered or required, then
/// CAPABILITY again over TLS as the RFC asks; IMAPS on port 993 (or tls implicit) speaks TLS from
/// the start.
/// </summary>
internal sealed partial class ImapProbe(ProbeTarget.HostPort target, ProbeExpect expect) : IProtocolProbe
{
    private const int ImapsPort = 993;
    private const int MaxUntaggedLines = 100;

    public async Task RunAsync(ProbeRun run)
    {
        var endpoint = MailEndpoint.For(target, expect.Tls, ImapsPort);
        var conversation = await endpoint.OpenAsync(run).ConfigureAwait(false);
        var greeting = await conversation.ReadLineAsync("the IMAP greeting").ConfigureAwait(false);
        run.Server = Excerpt.Of(greeting, 200);
        if (Bye().IsMatch(greeting))
        {
            throw new ProbeFailure(ErrorClass.Status, $"the server refused the session: \"{Excerpt.Of(greeting)}\"");
        }

        if (!Greeting().IsMatch(greeting))
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"expected an IMAP greeting (\"* OK\"), got \"{Excerpt.Of(greeting)}\"");
        }

        Excerpt.ExpectBanner(greeting, expect.Banner);
        var tag = 0;
        if (endpoint.MayUpgrade)
        {
            var announced = AnnouncedCapabilities().Match(greeting);
            var capabilities = announced.Success
                ? Words(announced.Groups[1].Value)
                : CapabilityWords(await CommandAsync(conversation, $"a{++tag}", "CAPABILITY").ConfigureAwait(false));
            if (endpoint.ShouldStartTls(capabilities.Contains("STARTTLS"), "STARTTLS"))
            {
                await CommandAsync(conversation, $"a{++tag}", "STARTTLS", ErrorClass.Tls).ConfigureAwait(false);
                await conversation.UpgradeToTlsAsync(endpoint.Host).ConfigureAwait(false);
                await CommandAsync(conversation, $"a{++tag}", "CAPABILITY").ConfigureAwait(false);
            }
        }

        await conversation.CloseAsync($"a{++tag} LOGOUT").ConfigureAwait(false);
    }

    /// <summary>Sends a tagged command and collects the untagged lines up to its tagged completion.</summary>
    private static async Task<List<string>> CommandAsync(LineConversation conversation, string tag, string name, ErrorClass refusal = ErrorClass.Status)
    {
        await conversation.SendAsync($"{tag} {name}").ConfigureAwait(false);
        var untagged = new List<string>();
        while (true)
        {
            var line = await conversation.ReadLineAsync($"the answer to {name}").ConfigureAwait(false);
            if (line.StartsWith($"{tag} ", StringComparison.Ordinal))
            {
                return TaggedOk().IsMatch(line)
                    ? untagged
                    : throw new ProbeFailure(refusal, $"{name} was answered with \"{Excerpt.Of(line)}\"");
            }

            untagged.Add(line);
            if (untagged.Count > MaxUntaggedLines)
            {
                throw new ProbeFailure(ErrorClass.Protocol, $"no completion of {name} after {MaxUntaggedLines} lines");
            }
        }
    }

    private static HashSet<string> CapabilityWords(List<string> lines) =>
        [.. lines.Where(line => line.StartsWith("* CAPABILITY ", StringComparison.OrdinalIgnoreCase)).SelectMany(line => Words(line[13..]))];

    private static HashSet<string> Words(string text) =>
        [.. text.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    [GeneratedRegex(@"^\* BYE\b", RegexOptions.IgnoreCase)]
    private static partial Regex Bye();

    [GeneratedRegex(@"^\* (OK|PREAUTH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Greeting();

    [GeneratedRegex(@"\[CAPABILITY ([^\]]*)\]", RegexOptions.IgnoreCase)]
    private static partial Regex AnnouncedCapabilities();

    [GeneratedRegex(@"^\S+ OK\b", RegexOptions.IgnoreCase)]
    private static partial Regex TaggedOk();
}
