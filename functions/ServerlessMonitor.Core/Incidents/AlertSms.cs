namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// An alert as one SMS: at most <see cref="Gsm7.Segment"/> GSM-7 septets, whatever the monitor's
/// name or the error says. <c>DOWN 2/4: &lt;name&gt;</c>, the error class and code with the regions,
/// then the link; the name gives way first, the link is left out only if it alone would not
/// leave room for the news.
/// </summary>
public static class AlertSms
{
    /// <summary>Room the news keeps whatever the link's length.</summary>
    private const int NewsRoom = 40;

    public static string Text(AlertContent content, string link)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = Gsm7.Fold(content.Monitor.Name);
        var dnsbl = content.Monitor.Type == Probes.ProbeType.Dnsbl;
        if (content.Kind == AlertKind.Recovery)
        {
            var minutes = Math.Max(0, (long)Math.Round((content.At - content.OpenedAt).TotalMinutes, MidpointRounding.AwayFromZero));
            return Compose([dnsbl ? $"DELISTED: {name} after {minutes} min" : $"UP: {name} recovered after {minutes} min"], link);
        }

        var first = content.Failure?.Regions.FirstOrDefault(r => r.Error is not null) ?? content.Failure?.Regions.FirstOrDefault();
        var cause = Gsm7.Fold(first switch
        {
            { Error: { } e } => $"{AlertMessages.Class(e.Class)}{(e.Code is null ? string.Empty : $" {e.Code}")}",
            { Status: { } status } => $"status {status}",
            _ => "failing",
        });
        var regions = Gsm7.Fold(string.Join(',', content.Failure?.Regions.Select(r => r.Region) ?? []));
        return Compose([$"{(AlertMessages.IsListing(content) ? "LISTED" : "DOWN")} {content.Sequence ?? 1}/{IncidentPolicy.MaxFailureAlerts}: {name}", $"{cause}{(regions.Length > 0 ? $" from {regions}" : string.Empty)}"], link);
    }

    /// <summary>Parts joined by newlines, then the link; the first part (the name) is shortened first, then the rest.</summary>
    private static string Compose(string[] parts, string link)
    {
        var linkLength = Gsm7.Length(link);
        var keptLink = linkLength is { } l && l <= Gsm7.Segment - NewsRoom ? link : null;
        var budget = Gsm7.Segment - (keptLink is null ? 0 : linkLength!.Value + 1);
        var text = string.Join('\n', parts);
        if (text.Length > budget)
        {
            var rest = string.Join('\n', parts.Skip(1));
            var headBudget = budget - (rest.Length > 0 ? rest.Length + 1 : 0);
            text = headBudget >= 12 ? string.Join('\n', parts.Skip(1).Prepend(Fit(parts[0], headBudget))) : Fit(text, budget);
        }

        return keptLink is null ? text : $"{text}\n{keptLink}";
    }

    private static string Fit(string text, int septets) =>
        text.Length <= septets ? text : septets <= 1 ? string.Empty : $"{text[..(septets - 1)].TrimEnd()}.";
}
