namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// How the caller stands to an incident's monitor, decided by the monitors' access rules
/// (owner, accepted receiver, public) outside this folder and handed in.
/// </summary>
public enum IncidentAccess
{
    /// <summary>No such monitor for this caller (never existed, deleted, or not theirs).</summary>
    None,

    /// <summary>A public monitor of someone else: its incidents are not the caller's business.</summary>
    Public,

    /// <summary>A receiver that accepted the monitor's alerts: reads and annotates.</summary>
    Receiver,

    Owner,
}
