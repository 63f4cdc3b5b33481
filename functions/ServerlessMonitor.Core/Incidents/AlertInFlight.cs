namespace ServerlessMonitor.Core.Incidents;

/// <summary>A failure alert the policy asked for whose storing for delivery is not yet confirmed.</summary>
/// <param name="Sequence">Its number, 1 to <see cref="IncidentPolicy.MaxFailureAlerts"/>.</param>
/// <param name="ScheduledAt">The scheduled minute it was sent for: the next one is scheduled from it.</param>
/// <param name="IssuedAt">When it was asked for: a late alert moves the schedule on from here, so repeats never burst.</param>
public sealed record AlertInFlight(int Sequence, double ScheduledAt, double IssuedAt);
