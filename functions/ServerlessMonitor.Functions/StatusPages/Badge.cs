using System.Globalization;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// A small flat badge, "label | value", for a README or a web page: standalone SVG with its
/// text in a title and aria-label. Widths are estimated from the characters (Verdana at 11 px
/// is about 7 px a character), which is all a badge needs.
/// </summary>
public static class Badge
{
    public const int Height = 20;

    public static string Render(string label, string value, string colour)
    {
        var left = Width(label);
        var right = Width(value);
        var text = Svg.E($"{label}: {value}");
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{left + right}" height="{Height}" viewBox="0 0 {left + right} {Height}" role="img" aria-label="{text}"><title>{text}</title><rect width="{left}" height="{Height}" fill="#444d56"/><rect x="{left}" width="{right}" height="{Height}" fill="{colour}"/><g fill="#fff" font-family="Verdana, DejaVu Sans, sans-serif" font-size="11" text-anchor="middle"><text x="{left / 2.0}" y="14">{Svg.E(label)}</text><text x="{left + (right / 2.0)}" y="14">{Svg.E(value)}</text></g></svg>
            """);
    }

    private static int Width(string text) => 12 + (int)Math.Ceiling(text.Length * 7.2);
}
