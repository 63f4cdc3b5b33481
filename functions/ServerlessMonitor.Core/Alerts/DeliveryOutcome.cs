namespace ServerlessMonitor.Core.Alerts;

/// <summary>What one try came to.</summary>
public abstract record DeliveryOutcome
{
    private DeliveryOutcome()
    {
    }

    /// <param name="ProviderId">The provider's handle for the message, when it gave one.</param>
    public sealed record Sent(string? ProviderId) : DeliveryOutcome;

    /// <param name="Status">The HTTP status of the answer, when there was one.</param>
    /// <param name="RetryAfter">How long the provider asked us to wait, when it did.</param>
    public sealed record Failed(RetryKind Retry, string Error, int? Status = null, TimeSpan? RetryAfter = null) : DeliveryOutcome;
}
