namespace ServerlessMonitor.Core.Cycle;

/// <summary>How probing a batch went.</summary>
/// <param name="Probed">Probes run; their outcomes reach the verdict.</param>
/// <param name="Skipped">Not started: too little time was left before the deadline.</param>
/// <param name="Unwritten">Results whose write failed (logged); their outcomes still reach the verdict.</param>
/// <param name="Transactions">Table transactions the results took.</param>
public sealed record BatchReport(int Probed, int Skipped, int Unwritten, int Transactions);
