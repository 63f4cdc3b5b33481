using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>What the policy asks the orchestrator to carry out, in order. Serialised with a <c>type</c> field.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SendFailureAlert), "failureAlert")]
[JsonDerivedType(typeof(SendRecoveryNotice), "recoveryNotice")]
[JsonDerivedType(typeof(WriteTimeline), "timeline")]
[JsonDerivedType(typeof(SetRecheck), "recheck")]
[JsonDerivedType(typeof(EndIncident), "end")]
public abstract record IncidentCommand;

/// <summary>
/// Store failure alert <paramref name="Sequence"/> (1 to 4) for <paramref name="Destination"/>
/// under the dedupe key (incident, destination, sequence), then answer with
/// <see cref="AlertStored"/> or <see cref="AlertNotStored"/>. Running it again is the same alert.
/// </summary>
public sealed record SendFailureAlert(string Destination, int Sequence) : IncidentCommand;

/// <summary>Tell a destination that got a failure alert that the target answers again.</summary>
public sealed record SendRecoveryNotice(string Destination) : IncidentCommand;

/// <summary>Write the timeline entry at its position, replacing what is there.</summary>
public sealed record WriteTimeline(TimelineEntry Entry) : IncidentCommand;

/// <summary>Probe the monitor every minute from every region (on), or back to its interval (off).</summary>
public sealed record SetRecheck(bool On) : IncidentCommand;

/// <summary>The incident is over; record how it ended.</summary>
public sealed record EndIncident(IncidentEnd End) : IncidentCommand;
