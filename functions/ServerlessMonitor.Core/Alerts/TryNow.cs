namespace ServerlessMonitor.Core.Alerts;

/// <summary>How many tries a send makes before it answers; later tries always come from the delivery-retries queue.</summary>
public enum TryNow
{
    /// <summary>The first try and the policy's quick retries (alerts: an activity may take a few seconds).</summary>
    QuickRetries,

    /// <summary>
    /// One try only (a confirmation sent while an HTTP request waits): a blip is not worth holding
    /// the caller for seconds, and the queue carries the message on from there.
    /// </summary>
    Once,
}
