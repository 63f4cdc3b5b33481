namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>An SMS the fake ACS accepted (and would have sent).</summary>
public sealed record FakeSms(string MessageId, string From, string To, string Message, string? RepeatabilityRequestId, string? RepeatabilityFirstSent);
