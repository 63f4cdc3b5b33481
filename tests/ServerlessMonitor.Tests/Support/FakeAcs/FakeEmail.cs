namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>An email the fake ACS accepted (and would have sent).</summary>
public sealed record FakeEmail(string OperationId, string SenderAddress, IReadOnlyList<string> To, string Subject, string? PlainText, string? Html);
