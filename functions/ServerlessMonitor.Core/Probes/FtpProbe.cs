namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// FTP (RFC 959): the server is ready when it greets with 220. A 120 ("ready in n minutes") or
/// 421 ("service not available") greeting is a failure with that reply code.
/// </summary>
internal sealed class FtpProbe(ProbeTarget.HostPort target, ProbeExpect expect) : IProtocolProbe
{
    public async Task RunAsync(ProbeRun run)
    {
        var conversation = await LineConversation.OpenAsync(run, target.Host, target.Port, implicitTls: false).ConfigureAwait(false);
        var greeting = await conversation.ReadReplyAsync("the FTP greeting").ConfigureAwait(false);
        run.Status = greeting.Code;
        run.Server = Excerpt.Of(greeting.Text, 200);
        if (greeting.Code != 220)
        {
            throw new ProbeFailure(ErrorClass.Status, $"the server greeted with {greeting.Code} instead of 220: {Excerpt.Of(greeting.Text)}");
        }

        Excerpt.ExpectBanner(greeting.Text, expect.Banner);
        await conversation.CloseAsync("QUIT").ConfigureAwait(false);
    }
}
