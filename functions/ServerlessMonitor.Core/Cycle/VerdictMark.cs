namespace ServerlessMonitor.Core.Cycle;

/// <summary>The verdict step ran: the latest minute it decided and when, for the other regions to check.</summary>
public sealed record VerdictMark(string Region, long Minute, DateTimeOffset At);
