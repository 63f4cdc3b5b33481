namespace ServerlessMonitor.Core.Incidents;

/// <summary>What one alert is about, whatever channel carries it.</summary>
/// <param name="At">When it is sent; a recovery notice: when the target answered again.</param>
/// <param name="Sequence">Failure alerts: 1 to <see cref="IncidentPolicy.MaxFailureAlerts"/>.</param>
/// <param name="Failure">What the failing regions saw, when known.</param>
public sealed record AlertContent(
    AlertKind Kind,
    AlertedMonitor Monitor,
    string IncidentId,
    DateTimeOffset OpenedAt,
    DateTimeOffset At,
    int? Sequence,
    FailureSummary? Failure);
