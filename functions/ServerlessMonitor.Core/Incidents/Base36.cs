using System.Text;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>Expiry times in tokens: base 36 keeps a link short enough for one SMS.</summary>
internal static class Base36
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string Format(long value)
    {
        var text = new StringBuilder();
        do
        {
            text.Insert(0, Digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return text.ToString();
    }

    /// <summary>At most 9 digits (token patterns say so), which fits a long.</summary>
    public static long Parse(string text) => text.Aggregate(0L, (n, c) => (n * 36) + Digits.IndexOf(c, StringComparison.Ordinal));
}
