namespace ServerlessMonitor.Core.Probes;

/// <summary>Server text quoted in results: one line, bounded, so a hostile server cannot fill a row.</summary>
internal static class Excerpt
{
    public static string Of(string text, int max = 120)
    {
        var flat = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length > max ? $"{flat[..max]}…" : flat;
    }

    /// <summary>The monitor's <c>expect.banner</c> check on what the server said first.</summary>
    public static void ExpectBanner(string greeting, string? banner)
    {
        if (banner is not null && !greeting.Contains(banner, StringComparison.Ordinal))
        {
            throw new ProbeFailure(ErrorClass.Content, $"the greeting does not contain \"{banner}\" (got \"{Of(greeting)}\")");
        }
    }
}
