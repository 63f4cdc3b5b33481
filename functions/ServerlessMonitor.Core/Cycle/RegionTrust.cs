namespace ServerlessMonitor.Core.Cycle;

/// <summary>A region's standing in one cycle, with the counts it rests on and a reason a person can read.</summary>
public sealed record RegionTrust(string Region, TrustStatus Status, RegionStats Stats, string Reason)
{
    public bool Trusted => Status == TrustStatus.Trusted;
}
