using System.Text.Json.Nodes;
using System.Text.Json;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// The words of every account message: sign-up, lost-key recovery, channel confirmation and
/// receiver invitation. Each says what happens if the reader does nothing (nothing), because
/// they go to addresses whose owners did not necessarily ask for them.
/// </summary>
public static class AccountMessages
{
    private const string Product = "Serverless Monitor";

    public static OutgoingMessage Signup(string to, string link, TimeSpan validFor) => new(
        ChannelKind.Email,
        to,
        string.Join('\n',
            $"Someone (we hope you) asked to create a {Product} account for {to}.",
            string.Empty,
            "To confirm, open this link and press the button. The page then shows your API key, once:",
            link,
            string.Empty,
            $"The link works once and expires in {Hours(validFor)}.",
            "If you did not ask for this, ignore this message: no account is created without your confirmation."))
    {
        Subject = $"Confirm your {Product} account",
    };

    /// <summary>Sign-up with an address that has an account: the same kind of mail, so a sign-up reveals nothing.</summary>
    public static OutgoingMessage Recovery(string to, string link, TimeSpan validFor) => new(
        ChannelKind.Email,
        to,
        string.Join('\n',
            $"Someone (we hope you) asked to sign up for {Product} with {to}, which already has an account. Nothing has changed.",
            string.Empty,
            "If you lost your API key, open this link and press the button to get a new one (your other keys keep working):",
            link,
            string.Empty,
            $"The link works once and expires in {Hours(validFor)}.",
            "If you did not ask for this, ignore this message."))
    {
        Subject = $"Your {Product} account",
    };

    /// <summary>The confirmation a new channel's address gets: a link by email or SMS, a challenge POSTed to a webhook.</summary>
    public static OutgoingMessage ChannelConfirmation(ChannelKind kind, string to, string link, string accountEmail, TimeSpan validFor) => kind switch
    {
        ChannelKind.Email => new(
            ChannelKind.Email,
            to,
            string.Join('\n',
                $"The {Product} account of {accountEmail} wants to send monitoring alerts to {to}.",
                string.Empty,
                "To agree, open this link and press the button:",
                link,
                string.Empty,
                $"The link works once and expires in {Hours(validFor)}. If you ignore this message, no alerts are sent here."))
        {
            Subject = $"Confirm {Product} alerts to this address",
        },

        // One GSM-7 segment (160 characters): 35 of text and the link.
        ChannelKind.Sms => new(ChannelKind.Sms, to, $"Confirm {Product} alerts: {link}"),
        ChannelKind.Webhook => WebhookChallenge(to, link, accountEmail, validFor),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The webhook's challenge: a JSON POST its server can answer by POSTing to confirmUrl, and
    /// whose text a chat webhook shows to a person who can open the link.
    /// </summary>
    private static OutgoingMessage WebhookChallenge(string to, string link, string accountEmail, TimeSpan validFor)
    {
        var subject = $"Confirm {Product} alerts to this webhook";
        var text = $"The {Product} account of {accountEmail} wants to send alerts to this webhook. To agree, POST to {link} (or open it and press the button) within {Hours(validFor)}.";
        return new OutgoingMessage(ChannelKind.Webhook, to, text)
        {
            Subject = subject,
            Data = new JsonObject { ["type"] = "confirmation", ["confirmUrl"] = link },
        };
    }

    /// <summary>An owner invites an address to receive a monitor's alerts; the address needs an account of its own to accept.</summary>
    public static OutgoingMessage Invitation(string to, string link, string ownerEmail, string monitorName, string baseUrl, TimeSpan validFor) => new(
        ChannelKind.Email,
        to,
        string.Join('\n',
            $"{ownerEmail} would like {Product} to alert you when the monitor \"{monitorName}\" fails.",
            string.Empty,
            "To accept, open this link and press the button:",
            link,
            string.Empty,
            $"You need a {Product} account for {to} to accept (create one with POST {baseUrl}/api/accounts).",
            "Once you accept, you choose which of your own channels are alerted, and when; you can leave at any time.",
            $"The link works once and expires in {Hours(validFor)}. If you ignore this message, you receive nothing."))
    {
        Subject = $"{ownerEmail} invites you to receive alerts for \"{monitorName}\"",
    };

    private static string Hours(TimeSpan span) => span.TotalHours is var h && h == 1 ? "1 hour" : $"{h:0} hours";
}
