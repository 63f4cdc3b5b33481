using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// SSH (RFC 4253 §4.2): the server identifies itself with "SSH-2.0-software comments", possibly
/// after a few other lines. SSH-1.99 means a server that also speaks 2.0.
/// </summary>
internal sealed partial class SshProbe(ProbeTarget.HostPort target, ProbeExpect expect) : IProtocolProbe
{
    private const int MaxLinesBeforeIdentification = 20;
    private static readonly string OurIdentification = $"SSH-2.0-ServerlessMonitor_{AppInfo.Version}";

    public async Task RunAsync(ProbeRun run)
    {
        var conversation = await LineConversation.OpenAsync(run, target.Host, target.Port, implicitTls: false).ConfigureAwait(false);
        var identification = await ReadIdentificationAsync(run, conversation).ConfigureAwait(false);
        var match = Identification().Match(identification);
        run.Server = Excerpt.Of(match.Success ? match.Groups[2].Value : identification, 200);
        if (!match.Success)
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"malformed SSH identification \"{Excerpt.Of(identification)}\"");
        }

        var version = match.Groups[1].Value;
        if (version is not ("2.0" or "1.99"))
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"the server speaks SSH {version}, not SSH 2.0");
        }

        Excerpt.ExpectBanner(identification, expect.Banner);
        // Identifying ourselves before leaving keeps the server's log to "closed by client".
        await conversation.CloseAsync(OurIdentification).ConfigureAwait(false);
    }

    private static async Task<string> ReadIdentificationAsync(ProbeRun run, LineConversation conversation)
    {
        var before = new List<string>();
        try
        {
            while (before.Count < MaxLinesBeforeIdentification)
            {
                var line = await conversation.ReadLineAsync("the SSH identification").ConfigureAwait(false);
                if (line.StartsWith("SSH-", StringComparison.Ordinal))
                {
                    return line;
                }

                before.Add(line);
            }
        }
        catch (OperationCanceledException) when (run.TimedOut && before.Count > 0)
        {
            // A server that talked and then fell silent answered, just not as SSH (an FTP greeting).
        }

        throw new ProbeFailure(ErrorClass.Protocol, $"no SSH identification; the server said \"{Excerpt.Of(string.Join(' ', before))}\"");
    }

    [GeneratedRegex(@"^SSH-([^-]+)-(.*)$")]
    private static partial Regex Identification();
}
