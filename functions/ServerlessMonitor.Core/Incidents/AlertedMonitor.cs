using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>What an alert says about its monitor.</summary>
public sealed record AlertedMonitor(string Id, string Name, ProbeType Type, string Target);
