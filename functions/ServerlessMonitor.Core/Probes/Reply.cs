namespace ServerlessMonitor.Core.Probes;

/// <summary>A numbered reply (SMTP, FTP): its code, and the text of each line without the code.</summary>
internal sealed record Reply(int Code, IReadOnlyList<string> Lines)
{
    public string Text => string.Join('\n', Lines);
}
