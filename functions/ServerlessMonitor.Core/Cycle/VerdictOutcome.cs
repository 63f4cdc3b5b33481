namespace ServerlessMonitor.Core.Cycle;

/// <summary>What a cycle concluded about one monitor.</summary>
public enum VerdictOutcome
{
    /// <summary>A trusted region got a satisfactory answer.</summary>
    Pass,

    /// <summary>Every trusted region that probed it failed.</summary>
    Fail,

    /// <summary>Every region that reported had its canaries fail: the trouble is ours, so the cycle says nothing and opens no incident.</summary>
    Suppressed,

    /// <summary>Only untrusted regions probed it: no evidence either way.</summary>
    Unknown,
}
