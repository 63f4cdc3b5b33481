namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>An error answer of the fake, in ACS's error body shape.</summary>
internal sealed class FakeAcsRefusal(int status, string code, string message, string? retryAfter = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string? RetryAfter { get; } = retryAfter;
}
