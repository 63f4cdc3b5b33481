namespace ServerlessMonitor.Core.Cycle;

/// <summary>Whether the primary's verdict step is running.</summary>
/// <param name="Mark">Its latest run; null before the first.</param>
/// <param name="Overdue">It has not run for <see cref="RegionOverview.SilentAfterMinutes"/> minutes: no verdict, so no incident, is being decided.</param>
public sealed record VerdictStatus(VerdictMark? Mark, bool Overdue);
