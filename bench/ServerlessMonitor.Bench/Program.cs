using System.CommandLine;
using ServerlessMonitor.Bench;

// `dotnet run -c Release --project bench/ServerlessMonitor.Bench -- <benchmark>`: each
// benchmark prints its own report; the numbers in docs/PERFORMANCE.md come from these runs.
// `serve` is the loopback target the probe benchmarks start in a process of their own.
var root = new RootCommand("Serverless Monitor benchmarks.")
{
    Named("probe-timing", "First-byte accuracy of probes against injected server delays, side by side with curl; and the sm command's first probe.", ProbeTimingBenchmark.RunAsync),
    Named("probe-throughput", "Fresh-connection HTTPS probes per minute at concurrency 2–64, with thread-pool queue and 1 ms timer lateness; and paced at 10,000 a minute.", ProbeThroughputBenchmark.RunAsync),
    Named("cycle", "One region's probe cycle with 10,000 monitors (SM_BENCH_MONITORS) on Azurite against the loopback target: duration, timer lag, peak working set, table requests per result; then the verdict step.", CycleBenchmark.RunAsync),
    Named("verdict", "The verdict step and incident hand-off for 10,000 and 50,000 monitors (SM_BENCH_MONITORS) from three regions' cycle outcomes on Azurite: 1 % failing with open incidents, 0.1 % changing state; time and requests per table, beside the scan of every monitor the step before made.", VerdictBenchmark.RunAsync),
    Named("fanout", "A 50,000-monitor cycle (SM_BENCH_MONITORS) fanned out past the instance budget to 2, 4 and 8 queue consumers (SM_BENCH_CONSUMERS), each a process of its own running the local runtime's queue poller, against the loopback target: finish time, probes skipped, peak working set per consumer, table transactions per result.", FanOutBenchmark.RunAsync),
    Named("fanout-consumer", "One fan-out consumer (started by fanout).", FanOutBenchmark.ConsumeAsync),
    Named("incident-alert-latency", "First failing probe to first alert for alert delays 0, 1 and 2 on the local runtime (three regions, shortened minutes, DTFx over Azurite).", IncidentAlertLatencyBenchmark.RunAsync),
    Named("incident-replay", "History events the Durable Task engine replays per verdict over a day-long incident (1,440 verdicts) with continue-as-new, read from the task hub's History table.", IncidentReplayBenchmark.RunAsync),
    Named("uptime-reads", "The uptime reads of a status page (issue 17): 90 days, 12 months and 24 h / 30 d latency per region for 50 monitors with 400 days of rows on Azurite: time per page and per monitor, p50/p95, table requests per monitor.", UptimeReadBenchmark.RunAsync),
    Named("status-page", "GET /api/status/<slug> of a page with 50 monitors over 90 days of data (SM_BENCH_MONITORS, SM_BENCH_RENDERS) on the local runtime: cold (read + render) and warm (cached) p50/p95/p99.", StatusPageBenchmark.RunAsync),
    Named("serve", "The loopback HTTP and HTTPS target (prints one JSON line, runs until stdin closes).", TargetServer.ServeAsync),
};
return await root.Parse(args).InvokeAsync();

static Command Named(string name, string description, Func<CancellationToken, Task<int>> run)
{
    var command = new Command(name, description);
    command.SetAction((_, cancellationToken) => run(cancellationToken));
    return command;
}
