namespace ServerlessMonitor.Core.Incidents;

/// <summary>The policy's answer: the state to carry on with and the commands to carry out, in order.</summary>
public sealed record IncidentDecision(IncidentState State, IReadOnlyList<IncidentCommand> Commands);
