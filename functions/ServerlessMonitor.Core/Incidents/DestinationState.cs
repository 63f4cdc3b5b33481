using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>One destination's part in an incident.</summary>
/// <param name="Active">False once the destination is gone (channel removed, receiver left); its count is kept should it come back.</param>
/// <param name="Stored">Failure alerts confirmed stored for delivery: what the cap counts.</param>
/// <param name="InFlight">The alert asked for and not yet confirmed; while there is one, no other is asked for.</param>
/// <param name="NextAt">When the next failure alert is due by its schedule (scheduling minutes).</param>
/// <param name="RetryAt">When an alert that could not be stored is asked for again; the schedule stays as it was.</param>
public sealed record DestinationState(string Key, int AfterMinutes, int RepeatMinutes, bool Active, int Stored, AlertInFlight? InFlight, double NextAt, double? RetryAt = null)
{
    /// <summary>When the next failure alert may be asked for.</summary>
    [JsonIgnore]
    public double DueAt => Math.Max(NextAt, RetryAt ?? NextAt);

    /// <summary>Alerts stored or on their way: never more than the cap.</summary>
    [JsonIgnore]
    public int Claimed => Stored + (InFlight is null ? 0 : 1);

    /// <summary>Whether it has been, or is being, told of the failure, and so is owed a recovery notice.</summary>
    [JsonIgnore]
    public bool Alerted => Claimed > 0;

    /// <summary>Whether another failure alert may fall due: present, under the cap, nothing in flight.</summary>
    [JsonIgnore]
    public bool Waiting => Active && InFlight is null && Stored < IncidentPolicy.MaxFailureAlerts;
}
