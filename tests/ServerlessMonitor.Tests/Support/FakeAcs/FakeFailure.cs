namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>How the fake answers one of the next send requests instead of its usual answer.</summary>
/// <param name="Status">The HTTP status to answer.</param>
public sealed record FakeFailure(int Status)
{
    /// <summary>The Retry-After header to send with it.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Do the work, then answer with the failure: the message goes out, the answer is lost.</summary>
    public bool AfterProcessing { get; init; }

    /// <summary>SMS only: answer 202, with this status in the recipient's result.</summary>
    public int? RecipientStatus { get; init; }
}
