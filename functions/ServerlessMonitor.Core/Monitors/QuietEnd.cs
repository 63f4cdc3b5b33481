namespace ServerlessMonitor.Core.Monitors;

/// <summary>Why a monitor's open incident must end without a recovery notice (the incident's <c>end</c>).</summary>
public enum QuietEnd
{
    Paused,
    Deleted,
}
