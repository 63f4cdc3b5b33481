using System.Globalization;

namespace ServerlessMonitor.Bench;

/// <summary>The few statistics and the table the reports use.</summary>
internal static class Stats
{
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[rank];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    public static string Fixed(double value, int digits = 3) =>
        double.IsNaN(value) ? "—" : value.ToString($"F{digits}", CultureInfo.InvariantCulture);

    public static void PrintTable(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((title, i) => Math.Max(title.Length, rows.Count == 0 ? 0 : rows.Max(row => row[i].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])));
        Console.WriteLine(Line(header));
        Console.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }
    }
}
