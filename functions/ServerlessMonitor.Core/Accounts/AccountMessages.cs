using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// The words of the sign-up messages. Each says what happens if the reader does nothing
/// (nothing), because they go to addresses whose owners did not necessarily ask for them.
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

    private static string Hours(TimeSpan span) => span.TotalHours is var h && h == 1 ? "1 hour" : $"{h:0} hours";
}
