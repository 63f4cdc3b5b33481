using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>Pipeline options for both ACS calls.</summary>
internal sealed class AcsClientOptions : ClientOptions
{
    /// <summary>
    /// Bounds one request that gets no answer; the sender's own budget for a try is of the same
    /// order (30 s in the TypeScript sender).
    /// </summary>
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    public AcsClientOptions(HttpPipelineTransport? transport)
    {
        // The sender owns retries: it knows which are safe, keeps the message meanwhile and
        // stays inside the repeatability window. A retry in here would hide all of that.
        Retry.MaxRetries = 0;
        Retry.NetworkTimeout = NetworkTimeout;
        if (transport is not null)
        {
            Transport = transport;
        }
    }
}
