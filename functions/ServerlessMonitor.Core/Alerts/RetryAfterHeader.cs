using System.Globalization;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>The Retry-After header (RFC 9110 §10.2.3): delta-seconds or an HTTP date.</summary>
public static class RetryAfterHeader
{
    /// <summary>How long to wait from <paramref name="now"/>; null when the header is absent or unreadable.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at > now ? at - now : TimeSpan.Zero;
        }

        return null;
    }
}
