using System.Net;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>
/// The pages a confirmation link shows: what it confirms, with its one button; what pressing it
/// did; why it no longer works. Everything shown is escaped; the form posts back to the same URL.
/// </summary>
public static class ConfirmPages
{
    public static string Confirm(ConfirmationPreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        return Page("Confirm", $"""
            <h1>Confirm</h1>
            <p>{WebUtility.HtmlEncode(preview.Action)}</p>
            <form method="post">
            <button type="submit">Confirm</button>
            </form>
            <p class="note">Nothing happens until you press the button. If you did not expect this, close the page.</p>
            """);
    }

    /// <summary>What pressing the button did.</summary>
    public static string Done(Confirmed confirmed) => confirmed switch
    {
        AccountConfirmed account => Key(account),
        ChannelVerified => Page("Confirmed", """
            <h1>Confirmed</h1>
            <p>Monitoring alerts of the account that added this address will be sent here.</p>
            <p class="note">Its owner can remove the channel at any time; then nothing more is sent here.</p>
            """),
        InvitationAccepted => Page("Accepted", """
            <h1>Accepted</h1>
            <p>Your account receives this monitor's alerts now, at all its verified channels at once.</p>
            <p class="note">To choose which of your channels are alerted and when, or to leave, use PUT or DELETE /api/monitors/&lt;id&gt;/receivers/me with your API key.</p>
            """),
        _ => throw new ArgumentOutOfRangeException(nameof(confirmed), confirmed, null),
    };

    private static string Key(AccountConfirmed confirmed)
    {
        return Page("Your API key", $"""
            <h1>Your API key</h1>
            <p>Account <strong>{WebUtility.HtmlEncode(confirmed.AccountId)}</strong> is ready. This is its API key. It is shown this once: copy it now.</p>
            <code>{WebUtility.HtmlEncode(confirmed.ApiKey)}</code>
            <p class="note">Send it as <em>Authorization: Bearer &lt;key&gt;</em>. Lost it? Sign up again with the same address to get a new one.</p>
            """);
    }

    public static string Problem(string title, string message) =>
        Page(title, $"<h1>{WebUtility.HtmlEncode(title)}</h1>\n<p>{WebUtility.HtmlEncode(message)}</p>");

    private static string Page(string title, string body) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{WebUtility.HtmlEncode(title)}} · Serverless Monitor</title>
        <style>
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
        h1 { font-size: 1.4rem; }
        button { font: inherit; padding: .6rem 1.4rem; border: 0; border-radius: .4rem; background: #0b5cad; color: #fff; cursor: pointer; }
        code { display: block; padding: .8rem; background: #f2f4f7; border-radius: .4rem; word-break: break-all; font-size: .95rem; }
        .note { color: #57606a; font-size: .9rem; }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>

        """;
}
