namespace ServerlessMonitor.Core.Incidents;

/// <summary>What an incident's orchestration carries from one execution to the next (continue-as-new).</summary>
/// <param name="Recorded">The state last written to the incident's row, so that only changes are written.</param>
/// <param name="LastFailRegions">The regions of the newest failing verdict (minute <see cref="IncidentState.LastFailMinute"/>): what a failure alert reports on.</param>
public sealed record IncidentCarried(IncidentState State, DateTimeOffset OpenedAt, IncidentStatus Recorded, IReadOnlyList<string>? LastFailRegions = null);
