namespace ServerlessMonitor.Core.Cycle;

/// <summary>Whether a region's failures count in a cycle, and if not, why.</summary>
public enum TrustStatus
{
    Trusted,

    /// <summary>Most of its canaries failed: its own network is in doubt.</summary>
    CanariesFailed,

    /// <summary>It failed, at an abnormal rate, targets other regions reached in the same cycle.</summary>
    FailsWhatOthersReach,
}
