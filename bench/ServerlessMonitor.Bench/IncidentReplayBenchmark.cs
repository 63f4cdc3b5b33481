using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Incidents;
using ServerlessMonitor.Local.Dev;

namespace ServerlessMonitor.Bench;

/// <summary>
/// What a day-long incident costs the Durable Task engine in replays (issue 14). DTFx replays an
/// orchestration's whole history (of its current execution) for every work item it runs — a
/// verdict, an activity's answer, a timer — so without continue-as-new a long incident would
/// cost more per verdict the longer it lasts. One incident of SM_BENCH_MINUTES (1,440) failing
/// verdicts, then a pass, runs on the local runtime (DTFx AzureStorage over Azurite) with its
/// region's timers stopped: verdicts are raised to the orchestration as the hand-off does, one per
/// (shortened) minute. After each verdict the instance's history rows are read from the task
/// hub's History table; each work item shows there as an OrchestratorStarted event, and the
/// events before it are what that work item replayed. SM_BENCH_TURNS (default 40) sets the turns
/// per execution ("never": no continue-as-new); SM_BENCH_MINUTE_SECONDS (default 0.5).
/// </summary>
internal static class IncidentReplayBenchmark
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var minutes = int.Parse(Environment.GetEnvironmentVariable("SM_BENCH_MINUTES") ?? "1440", CultureInfo.InvariantCulture);
        var minuteSeconds = double.Parse(Environment.GetEnvironmentVariable("SM_BENCH_MINUTE_SECONDS") ?? "0.5", CultureInfo.InvariantCulture);
        var turnsSetting = Environment.GetEnvironmentVariable("SM_BENCH_TURNS") ?? IncidentInput.DefaultTurnsPerExecution.ToString(CultureInfo.InvariantCulture);
        var turns = turnsSetting == "never" ? int.MaxValue : int.Parse(turnsSetting, CultureInfo.InvariantCulture);

        await using var runtime = await IncidentBenchSupport.RuntimeAsync("replay", new() { ["SM_MINUTE_SECONDS"] = minuteSeconds.ToString(CultureInfo.InvariantCulture) });
        runtime.Faults.Set(runtime.Config.Region, RegionState.Down);
        using var http = await IncidentBenchSupport.AccountAsync(runtime, "replay@example.com");
        var monitorId = await IncidentBenchSupport.MonitorAsync(http, new { name = "day-long", type = "tcp", target = "127.0.0.1:9", intervalMinutes = 1, alertDelayMinutes = 2, repeatMinutes = 15 });

        var services = runtime.ServicesOf(runtime.Config.Region);
        var clock = services.GetRequiredService<SchedulingClock>();
        var client = runtime.Durable.Client;
        var history = new TableClient(runtime.StorageConnectionString, $"{runtime.Config.TaskHub}History");
        var instanceId = IncidentOrchestrator.InstanceId(monitorId);
        var opened = clock.CurrentMinute;
        var start = new IncidentStart(IncidentIds.Of(monitorId, opened), monitorId, opened, clock.StartOf(opened), [runtime.Config.Region]);
        await services.GetRequiredService<RecheckStore>().FlagAsync(monitorId, start.At, cancellationToken);

        var executions = new Dictionary<string, List<(string RowKey, string Type)>>(StringComparer.Ordinal);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.StartNew();
        await client.ScheduleNewOrchestrationInstanceAsync(
            IncidentOrchestrator.Name,
            new IncidentInput(clock.MinuteLength.TotalMilliseconds, turns, start, null),
            new StartOrchestrationOptions(instanceId),
            cancellationToken);

        var behind = 0;
        for (var m = opened + 1; m <= opened + minutes; m++)
        {
            var due = clock.StartOf(m) + (clock.MinuteLength * 0.83);
            if (clock.Now < due)
            {
                await Task.Delay(due - clock.Now, cancellationToken);
            }
            else
            {
                behind++;
            }

            var outcome = m < opened + minutes ? VerdictOutcome.Fail : VerdictOutcome.Pass;
            await client.RaiseEventAsync(instanceId, IncidentOrchestrator.NewsEvent, (IncidentEvent)new VerdictArrived(m, outcome, [runtime.Config.Region]), cancellationToken);
            await SnapshotAsync(history, instanceId, executions, cancellationToken);
        }

        using (var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            done.CancelAfter(TimeSpan.FromMinutes(5));
            var end = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, done.Token);
            Console.WriteLine($"incident ended {end.RuntimeStatus}: {end.SerializedOutput}");
        }

        await SnapshotAsync(history, instanceId, executions, cancellationToken);
        var elapsed = started.Elapsed;
        var usedCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        long workItems = 0;
        long replayed = 0;
        var longest = 0;
        foreach (var events in executions.Values)
        {
            var ordered = events.OrderBy(e => e.RowKey, StringComparer.Ordinal).ToList();
            longest = Math.Max(longest, ordered.Count);
            for (var i = 0; i < ordered.Count; i++)
            {
                if (ordered[i].Type == "OrchestratorStarted")
                {
                    workItems++;
                    replayed += i;
                }
            }
        }

        var incident = await services.GetRequiredService<IncidentStore>().GetAsync(start.IncidentId, cancellationToken);
        Console.WriteLine($"turns per execution = {turnsSetting}, {minutes} verdicts (minute = {minuteSeconds} s, shortened), DTFx AzureStorage over Azurite, one region with its timers stopped");
        Console.WriteLine("executions  work items  events replayed  per verdict  per work item  longest history  behind  wall     cpu");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{executions.Count,10}  {workItems,10}  {replayed,15}  {(double)replayed / minutes,11:F1}  {(double)replayed / Math.Max(1, workItems),13:F1}  {longest,15}  {behind,6}  {elapsed.TotalSeconds,5:F0} s  {usedCpu.TotalSeconds,5:F0} s"));
        Console.WriteLine($"incident record: {incident?.State}, end {incident?.End}");
        return 0;
    }

    /// <summary>The instance's history rows now, by execution; an execution's largest snapshot is kept (continue-as-new replaces its rows).</summary>
    private static async Task SnapshotAsync(TableClient history, string instanceId, Dictionary<string, List<(string RowKey, string Type)>> executions, CancellationToken cancellationToken)
    {
        var now = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        await foreach (var row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), select: ["RowKey", "EventType", "ExecutionId"], cancellationToken: cancellationToken))
        {
            if (row.GetString("ExecutionId") is { } execution && row.GetString("EventType") is { } type)
            {
                (now.TryGetValue(execution, out var list) ? list : now[execution] = []).Add((row.RowKey, type));
            }
        }

        foreach (var (execution, events) in now)
        {
            if (!executions.TryGetValue(execution, out var known) || known.Count < events.Count)
            {
                executions[execution] = events;
            }
        }
    }
}
