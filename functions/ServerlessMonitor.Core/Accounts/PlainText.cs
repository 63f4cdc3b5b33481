namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// Names and labels people give things: shown in pages, subjects and lists, so one line of
/// printable text (a newline in a name would end up in a mail subject).
/// </summary>
public static class PlainText
{
    /// <summary>The trimmed text, or the problem with it.</summary>
    public static (string? Value, string? Problem) Check(string text, int max, string what)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return (null, $"the {what} must not be empty");
        }

        if (trimmed.Length > max)
        {
            return (null, $"the {what} is longer than {max} characters");
        }

        return trimmed.Any(char.IsControl) ? (null, $"the {what} must not contain control characters") : (trimmed, null);
    }
}
