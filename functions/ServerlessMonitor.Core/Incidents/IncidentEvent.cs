using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>What the policy is told. A closed set, serialised with a <c>type</c> field so it travels through orchestration history.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(VerdictArrived), "verdict")]
[JsonDerivedType(typeof(DeadlineReached), "deadline")]
[JsonDerivedType(typeof(DestinationsRead), "destinations")]
[JsonDerivedType(typeof(MonitorChanged), "monitor")]
[JsonDerivedType(typeof(AlertStored), "alertStored")]
[JsonDerivedType(typeof(AlertNotStored), "alertNotStored")]
public abstract record IncidentEvent;

/// <summary>The verdict of a later cycle. Old news (not newer than the last one applied) is ignored.</summary>
public sealed record VerdictArrived(
    long Minute,
    [property: JsonConverter(typeof(CamelCaseEnumConverter<VerdictOutcome>))] VerdictOutcome Outcome,
    IReadOnlyList<string> Regions) : IncidentEvent;

/// <summary>The time <see cref="IncidentPolicy.NextDeadline"/> named has come.</summary>
public sealed record DeadlineReached : IncidentEvent;

/// <summary>The monitor's destinations and recovery setting as they are now (read when alerts fall due).</summary>
public sealed record DestinationsRead(IReadOnlyList<DestinationPlan> Destinations, int RecoveryPasses) : IncidentEvent;

/// <summary>The monitor was paused or deleted: the incident ends quietly.</summary>
public sealed record MonitorChanged(MonitorChange Change) : IncidentEvent;

/// <summary>
/// Failure alert <paramref name="Sequence"/> to <paramref name="Destination"/> is stored for
/// delivery (the sender keeps it under its dedupe key and retries it): only now does it count
/// toward the cap. Repeated confirmations change nothing.
/// </summary>
public sealed record AlertStored(string Destination, int Sequence) : IncidentEvent;

/// <summary>
/// The alert could not be stored (its activity failed, retries included): it does not count,
/// and it is asked for again, with the same sequence number, a minute later.
/// </summary>
public sealed record AlertNotStored(string Destination, int Sequence) : IncidentEvent;
