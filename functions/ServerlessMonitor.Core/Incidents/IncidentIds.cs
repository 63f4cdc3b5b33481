using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// An incident id is <c>&lt;monitorId&gt;-&lt;opened minute&gt;</c>: a second start for the same
/// failing minute names the same incident, and the id alone finds its row (partition = monitor).
/// </summary>
public static partial class IncidentIds
{
    public static string Of(string monitorId, long openedMinute) => $"{monitorId}-{openedMinute.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The monitor and opened minute of a well-formed id; false for anything else.</summary>
    public static bool TryParse(string? id, out string monitorId, out long openedMinute)
    {
        var m = Pattern().Match(id ?? string.Empty);
        monitorId = m.Success ? m.Groups[1].Value : string.Empty;
        openedMinute = m.Success ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return m.Success;
    }

    [GeneratedRegex("^(m[a-z0-9]{20})-([0-9]{1,13})$")]
    private static partial Regex Pattern();
}
