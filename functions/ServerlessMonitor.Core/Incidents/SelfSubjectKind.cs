namespace ServerlessMonitor.Core.Incidents;

public enum SelfSubjectKind
{
    /// <summary>A region's probe-cycle timer has not run for three minutes: its app is gone or stopped.</summary>
    RegionSilent,

    /// <summary>A region's cycles are not trusted (its canaries or its network are in doubt) cycle after cycle.</summary>
    RegionUntrusted,

    /// <summary>The primary's verdict step has not run for three minutes: no verdict, so no incident, is decided.</summary>
    VerdictStepStopped,
}
