using System.Globalization;
using System.Text;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The GSM-7 alphabet SMS segments are counted in: 160 septets a segment, extension characters
/// two each. A single character outside it switches the whole message to UCS-2 at 70 a segment,
/// so text from users is folded into the basic set before it goes into an SMS.
/// </summary>
public static class Gsm7
{
    public const int Segment = 160;

    private const string Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extended = "^{}\\[~]|€\f";

    /// <summary>Length in septets; null when the text needs UCS-2.</summary>
    public static int? Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var n = 0;
        foreach (var c in text)
        {
            if (Basic.Contains(c, StringComparison.Ordinal))
            {
                n++;
            }
            else if (Extended.Contains(c, StringComparison.Ordinal))
            {
                n += 2;
            }
            else
            {
                return null;
            }
        }

        return n;
    }

    /// <summary>
    /// The text in the basic set, one septet a character: line breaks and tabs as spaces,
    /// combining marks dropped, anything else outside the set (an emoji, a letter the set lacks)
    /// '?'. No Unicode decomposition: the app runs with invariant globalization, where
    /// string.Normalize changes nothing, and the set already holds the common accented letters.
    /// </summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.IsBmp ? (char)rune.Value : '\0';
            if (c is '\n' or '\r' or '\t')
            {
                folded.Append(' ');
            }
            else if (c != '\0' && Basic.Contains(c, StringComparison.Ordinal))
            {
                folded.Append(c);
            }
            else if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
            {
                folded.Append('?');
            }
        }

        return folded.ToString();
    }
}
