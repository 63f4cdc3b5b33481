namespace ServerlessMonitor.Core.Alerts;

/// <summary>Whether, and how, a failed try may be repeated.</summary>
public enum RetryKind
{
    /// <summary>It will not work (bad address, rejected content, bad credentials).</summary>
    Never,

    /// <summary>The provider did not act on it (throttled, connection refused): send again freely.</summary>
    Safe,

    /// <summary>
    /// It may have acted (5xx, reset, timeout): send again only with the same request id and
    /// inside the provider's repeatability window, so the provider can drop the duplicate.
    /// </summary>
    Uncertain,
}
