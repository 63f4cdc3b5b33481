using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ServerlessMonitor.Bench;

/// <summary>
/// Time from a target's first failing probe to its first alert, for alert delays 0, 1 and 2
/// (issue 14; target: delay + at most one minute). The whole app runs on the local runtime with
/// three simulated regions (eu, us, asia) on a shortened minute: probes, cycle, verdict step,
/// hand-off, the incident orchestration on the real Durable Task engine (DTFx over Azurite),
/// the outbox. Each target remembers when it first answered 503; the alert's outbox time is the
/// other end. Results are in scheduling minutes.
/// SM_BENCH_MINUTE_SECONDS (default 6), SM_BENCH_ROUNDS (default 3), SM_BENCH_DELAYS (default 0,1,2).
/// </summary>
internal static class IncidentAlertLatencyBenchmark
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var minuteSeconds = double.Parse(Environment.GetEnvironmentVariable("SM_BENCH_MINUTE_SECONDS") ?? "6", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Environment.GetEnvironmentVariable("SM_BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
        var delays = (Environment.GetEnvironmentVariable("SM_BENCH_DELAYS") ?? "0,1,2").Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        var minute = TimeSpan.FromSeconds(minuteSeconds);

        using var canary = new FlipTarget();
        var targets = delays.Select(_ => new FlipTarget()).ToArray();
        try
        {
            await using var runtime = await IncidentBenchSupport.RuntimeAsync("latency", new()
            {
                ["SM_REGIONS"] = "eu,us,asia",
                ["SM_MINUTE_SECONDS"] = minuteSeconds.ToString(CultureInfo.InvariantCulture),
                ["SM_CANARY_TARGETS"] = $"127.0.0.1:{canary.Port}",
            });
            var accounts = new List<(HttpClient Http, string Email, string MonitorId)>();
            for (var i = 0; i < delays.Length; i++)
            {
                var email = $"delay{delays[i]}@example.com";
                var http = await IncidentBenchSupport.AccountAsync(runtime, email);
                var monitorId = await IncidentBenchSupport.MonitorAsync(http, new { name = $"delay {delays[i]}", type = "http", target = targets[i].Url, intervalMinutes = 1, timeoutSeconds = 2, alertDelayMinutes = delays[i], repeatMinutes = 60 });
                accounts.Add((http, email, monitorId));
            }

            var patience = minute * (delays.Max() + 10);
            await Task.WhenAll(accounts.Select(a => IncidentBenchSupport.WaitAsync(
                async () => (string?)(await a.Http.GetFromJsonAsync<JsonObject>($"monitors/{a.MonitorId}", cancellationToken))!["state"] == "up" ? "up" : null, patience, "the monitors to be up")));

            var latencies = delays.ToDictionary(d => d, _ => new List<double>());
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var t in targets)
                {
                    t.Fail();
                }

                await Task.WhenAll(accounts.Select(async (a, i) =>
                {
                    var alert = await IncidentBenchSupport.WaitAsync(
                        async () => (await IncidentBenchSupport.OutboxAsync(a.Http)).Where(m => (string?)m!["to"] == a.Email && ((string?)m!["subject"])?.StartsWith("DOWN", StringComparison.Ordinal) == true).Skip(round - 1).FirstOrDefault(),
                        patience,
                        $"alert {round} for delay {delays[i]}");
                    latencies[delays[i]].Add((IncidentBenchSupport.At(alert!) - targets[i].FirstFailAt!.Value) / minute);
                }));

                foreach (var t in targets)
                {
                    t.Heal();
                }

                await Task.WhenAll(accounts.Select(a => IncidentBenchSupport.WaitAsync(
                    async () => (await IncidentBenchSupport.OutboxAsync(a.Http)).Count(m => (string?)m!["to"] == a.Email && ((string?)m!["subject"])?.StartsWith("RECOVERED", StringComparison.Ordinal) == true) >= round ? "recovered" : null,
                    patience,
                    "the recovery")));
            }

            Console.WriteLine($"minute = {minuteSeconds} s ({(minuteSeconds >= 60 ? "real length" : "shortened")}), {rounds} outages per delay, 3 regions (eu, us, asia), DTFx over Azurite; latency in scheduling minutes from the first 503 to the first alert in the outbox");
            Console.WriteLine("delay  n  min   median  max   max−delay  target (≤ delay + 1)");
            foreach (var d in delays)
            {
                var l = latencies[d].Order().ToList();
                var max = l[^1];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d,5}  {l.Count}  {l[0],4:F2}  {l[l.Count / 2],6:F2}  {max,4:F2}  {max - d,9:F2}  {(max <= d + 1 ? "met" : "MISSED")}"));
            }

            foreach (var (http, _, _) in accounts)
            {
                http.Dispose();
            }

            return 0;
        }
        finally
        {
            foreach (var t in targets)
            {
                t.Dispose();
            }
        }
    }
}
