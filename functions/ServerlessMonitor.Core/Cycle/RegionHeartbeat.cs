namespace ServerlessMonitor.Core.Cycle;

/// <summary>A region's timer ran: the latest beat of each region tells who is alive.</summary>
/// <param name="At">When the timer ran.</param>
/// <param name="Lag">How far it ran behind the start of its minute.</param>
public sealed record RegionHeartbeat(string Region, long Minute, DateTimeOffset At, TimeSpan Lag);
