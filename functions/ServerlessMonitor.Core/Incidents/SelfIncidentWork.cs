using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The incident activities' work for a <see cref="SelfSubject"/> (the branch in
/// <see cref="IncidentWork"/>): its facts come from <see cref="SelfSubjects.Facts"/> instead of the
/// monitors table, its one destination is SM_OPERATOR_EMAIL, and it keeps no incident rows (no
/// account can see them): its history is the operator's mail, the deliveries and the log.
/// Alerts go under the same dedupe key (incident, destination, sequence) as a monitor's.
/// </summary>
public sealed class SelfIncidentWork(MonitorConfig config, IMessageSender sender, ILogger<SelfIncidentWork> logger)
{
    private readonly SelfMessages messages = new(config.PublicBase, config.PrimaryRegion);

    public MonitorNow Now(SelfSubject subject) => SelfSubjects.Facts(subject, config.OperatorEmail);

    /// <summary>Says in the log how the incident stands when that changed: with no operator address, this is all there is.</summary>
    public void Record(SelfSubject subject, IncidentRecordInput input)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(input);
        if (input.State is { } state)
        {
            logger.LogWarning("deployment incident {IncidentId} ({Subject}): {State}{End}", input.IncidentId, subject.Name, state, input.End is { } end ? $", {end}" : string.Empty);
        }
    }

    /// <summary>The status the alert reached; null when there is no operator address (any more) to send it to.</summary>
    public async Task<AlertStatus?> AlertAsync(SelfSubject subject, IncidentAlertInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (config.OperatorEmail is not { } to || input.Destination != SelfSubject.OperatorDestination)
        {
            return null;
        }

        var message = messages.For(subject, input.Kind, input.Sequence, input.OpenedAt, input.At, to);
        var key = $"incident:{input.IncidentId}:{input.Destination}:{(input.Kind == AlertKind.Failure ? $"failure:{input.Sequence}" : "recovery")}";
        var outcome = await sender.SendAsync(message, key, cancellationToken).ConfigureAwait(false);
        logger.LogWarning("deployment incident {IncidentId}: {Subject} to the operator: {Outcome}", input.IncidentId, message.Subject, outcome);
        return outcome switch
        {
            DeliveryOutcome.Sent => AlertStatus.Sent,
            DeliveryOutcome.Pending => AlertStatus.Retrying,
            _ => AlertStatus.Failed,
        };
    }
}
