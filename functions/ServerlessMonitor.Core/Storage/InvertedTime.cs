namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// A time as a 13-digit key that sorts newest first. Table Storage returns rows in key order
/// and history is read newest first, so keys count down from the largest 13-digit millisecond
/// (the year 2286) instead of up from the epoch.
/// </summary>
public static class InvertedTime
{
    private const long Largest = 9_999_999_999_999;

    public static string Of(DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        if (ms is < 0 or > Largest)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, "keys hold times from 1970 to 2286");
        }

        return (Largest - ms).ToString("D13", System.Globalization.CultureInfo.InvariantCulture);
    }
}
