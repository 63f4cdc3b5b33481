namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The JSON body of a webhook alert (BEHAVIOUR.md): <c>{type, incident:{id, openedAt, url},
/// monitor:{id, name, type, target}, at, sequence?, failure?, subject, text}</c>.
/// </summary>
/// <param name="Type"><c>incident.failure</c> or <c>incident.recovery</c>.</param>
public sealed record WebhookAlertPayload(
    string Type,
    WebhookAlertPayload.IncidentPart Incident,
    AlertedMonitor Monitor,
    DateTimeOffset At,
    int? Sequence,
    FailureSummary? Failure,
    string Subject,
    string Text)
{
    public sealed record IncidentPart(string Id, DateTimeOffset OpenedAt, string Url);
}
