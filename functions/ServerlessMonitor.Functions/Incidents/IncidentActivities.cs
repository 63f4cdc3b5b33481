using Microsoft.Azure.Functions.Worker;
using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>The incident orchestration's activities: thin bindings of <see cref="IncidentWork"/>.</summary>
public sealed class IncidentActivities(IncidentWork work)
{
    [Function(IncidentOrchestrator.OpenActivity)]
    public Task<MonitorNow> Open([ActivityTrigger] IncidentStart start, CancellationToken cancellationToken) =>
        work.OpenAsync(start, cancellationToken);

    [Function(IncidentOrchestrator.RefreshActivity)]
    public Task<MonitorNow> Refresh([ActivityTrigger] string monitorId, CancellationToken cancellationToken) =>
        work.NowAsync(monitorId, cancellationToken);

    [Function(IncidentOrchestrator.RecordActivity)]
    public Task Record([ActivityTrigger] IncidentRecordInput record, CancellationToken cancellationToken) =>
        work.RecordAsync(record, cancellationToken);

    [Function(IncidentOrchestrator.AlertActivity)]
    public Task<AlertStatus?> Alert([ActivityTrigger] IncidentAlertInput alert, CancellationToken cancellationToken) =>
        work.AlertAsync(alert, cancellationToken);
}
