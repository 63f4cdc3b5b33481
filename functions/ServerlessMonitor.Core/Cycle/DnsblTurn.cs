namespace ServerlessMonitor.Core.Cycle;

/// <summary>A region's part in a dnsbl monitor's minute.</summary>
public enum DnsblTurn
{
    None,

    /// <summary>This region is the one that checks.</summary>
    Check,

    /// <summary>This region is next in line: it checks if the first region's check of the minute before learnt nothing.</summary>
    CheckIfFirstLearntNothing,
}
