using System.Diagnostics;
using System.Globalization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Bench;

/// <summary>
/// Throughput: fresh-connection HTTPS probes of a loopback target (its own process) for a fixed
/// time at each concurrency, back to back, with the prober's CPU time, the thread pool's queue
/// and the lateness of a 1 ms timer; then probes started at a steady 10,000 a minute, the load
/// of a probe cycle spread over the minute. Targets: ≥ 40,000 a minute; lateness p99 ≤ 5 ms
/// at 10,000 a minute.
/// </summary>
internal static class ProbeThroughputBenchmark
{
    private static readonly int[] Concurrencies = [2, 4, 8, 16, 32, 64];
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);
    private const int PacedPerMinute = 10_000;
    private const int PacedConcurrency = 64;

    private sealed record Measurement(string Label, int Concurrency, int Probes, int Failures, double Seconds, double CpuSeconds, double ServerCpuSeconds, TimerLatenessSummary Timer)
    {
        public double PerMinute => Probes / Seconds * 60;
    }

    private sealed record TimerLatenessSummary(double P99, double Max, double QueueMean, int QueueMax);

    public static Task<int> RunAsync(CancellationToken cancellationToken) =>
        TargetServer.RunTrustingAsync("probe-throughput", MeasureAsync, cancellationToken);

    private static async Task<int> MeasureAsync(TargetServer target, CancellationToken cancellationToken)
    {
        var prober = new Prober(new ProbeNetwork(), new ProbeOptions { AllowPrivateTargets = true }, TimeProvider.System);
        var spec = new ProbeSpec(ProbeType.Https, $"{target.Https}/");
        await WarmUpAsync(prober, spec, cancellationToken);
        var idle = await IdleAsync();
        var results = new List<Measurement>();
        foreach (var concurrency in Concurrencies)
        {
            results.Add(await MeasureAsync(prober, spec, target, concurrency, perMinute: null, cancellationToken));
        }

        var paced = await MeasureAsync(prober, spec, target, PacedConcurrency, PacedPerMinute, cancellationToken);
        results.Add(paced);

        Console.WriteLine($"probe throughput: fresh HTTPS connections, {Duration.TotalSeconds} s per run, target in its own process; {Environment.ProcessorCount} CPUs, load average {ProbeTimingBenchmark.LoadAverage()}");
        Console.WriteLine($"1 ms timer of this process while idle (the machine's share): lateness p99 {Stats.Fixed(idle.Timer.P99, 2)} ms, max {Stats.Fixed(idle.Timer.Max, 2)} ms; the timer itself costs {Stats.Fixed(idle.CpuPerSecond, 2)} CPU s per second");
        Stats.PrintTable(
            ["run", "concurrency", "probes", "failed", "seconds", "per minute", "client CPU s", "per CPU-second", "server CPU s", "queue mean", "queue max", "timer late p99 ms", "max ms"],
            [.. results.Select(m => (IReadOnlyList<string>)
            [
                m.Label,
                m.Concurrency.ToString(CultureInfo.InvariantCulture),
                m.Probes.ToString(CultureInfo.InvariantCulture),
                m.Failures.ToString(CultureInfo.InvariantCulture),
                Stats.Fixed(m.Seconds, 1),
                Math.Round(m.PerMinute).ToString(CultureInfo.InvariantCulture),
                Stats.Fixed(m.CpuSeconds, 2),
                Math.Round(m.Probes / m.CpuSeconds).ToString(CultureInfo.InvariantCulture),
                Stats.Fixed(m.ServerCpuSeconds, 2),
                Stats.Fixed(m.Timer.QueueMean, 1),
                m.Timer.QueueMax.ToString(CultureInfo.InvariantCulture),
                Stats.Fixed(m.Timer.P99, 2),
                Stats.Fixed(m.Timer.Max, 2),
            ])]);
        var best = results.Where(m => m.Label == "back to back" && m.Failures == 0).MaxBy(m => m.PerMinute);
        var throughputMet = best is not null && best.PerMinute >= 40_000;
        var pacedMet = paced.Failures == 0 && paced.PerMinute >= PacedPerMinute * 0.95 && paced.Timer.P99 <= 5;
        Console.WriteLine($"\n≥ 40,000 HTTPS probes a minute: {(throughputMet ? "met" : "NOT met")} (best {Math.Round(best?.PerMinute ?? 0)} at concurrency {best?.Concurrency})");
        Console.WriteLine($"10,000 a minute with timer lateness p99 ≤ 5 ms: {(pacedMet ? "met" : "NOT met")} (p99 {Stats.Fixed(paced.Timer.P99, 2)} ms)");
        return throughputMet && pacedMet ? 0 : 1;
    }

    private static async Task<Measurement> MeasureAsync(Prober prober, ProbeSpec spec, TargetServer target, int concurrency, int? perMinute, CancellationToken cancellationToken)
    {
        // Warm the code paths and the thread pool before measuring.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => prober.ProbeAsync(spec, cancellationToken)));
        var probes = 0;
        var failures = 0;
        async Task Once()
        {
            var result = await prober.ProbeAsync(spec, cancellationToken);
            Interlocked.Increment(ref probes);
            if (!result.Ok)
            {
                Interlocked.Increment(ref failures);
            }
        }

        var serverCpu = ProcessCpuSeconds(target.ProcessId);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var timer = new TimerLateness();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(Duration.TotalSeconds * Stopwatch.Frequency);
        if (perMinute is null)
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await Once();
                }
            }));
        }
        else
        {
            await PacedAsync(Once, concurrency, TimeSpan.FromMinutes(1) / perMinute.Value, started, deadline);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await timer.DisposeAsync();
        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var summary = new TimerLatenessSummary(Stats.Percentile(timer.Lateness, 99), timer.Lateness.DefaultIfEmpty().Max(), timer.Queue.DefaultIfEmpty().Average(), timer.Queue.DefaultIfEmpty().Max());
        return new Measurement(perMinute is null ? "back to back" : $"paced {perMinute}/min", concurrency, probes, failures, seconds, used, ProcessCpuSeconds(target.ProcessId) - serverCpu, summary);
    }

    /// <summary>
    /// Probes back to back for a while, unmeasured: tiered compilation re-compiles hot code in
    /// the background for the first seconds of a process (in this one and in the target's), CPU
    /// a long-running worker spends once and a short run would count against every probe.
    /// </summary>
    private static async Task WarmUpAsync(Prober prober, ProbeSpec spec, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await prober.ProbeAsync(spec, cancellationToken);
            }
        }));
    }

    /// <summary>Starts a probe every <paramref name="interval"/>, at most <paramref name="concurrency"/> at once.</summary>
    private static async Task PacedAsync(Func<Task> once, int concurrency, TimeSpan interval, long started, long deadline)
    {
        var running = new HashSet<Task>();
        for (var launched = 0; Stopwatch.GetTimestamp() < deadline;)
        {
            var wait = interval * launched - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                // Whole milliseconds: Task.Delay truncates, and a delay of 0 would spin.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)));
            }

            if (running.Count >= concurrency)
            {
                running.Remove(await Task.WhenAny(running));
                continue;
            }

            running.Add(once());
            running.RemoveWhere(task => task.IsCompleted);
            launched++;
        }

        await Task.WhenAll(running);
    }

    /// <summary>The timer alone for 3 s: the lateness the machine causes, and the CPU the 1 ms timer itself costs (in every run's client CPU).</summary>
    private static async Task<(TimerLatenessSummary Timer, double CpuPerSecond)> IdleAsync()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var timer = new TimerLateness();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await timer.DisposeAsync();
        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return (new TimerLatenessSummary(Stats.Percentile(timer.Lateness, 99), timer.Lateness.Max(), 0, 0), used / 3);
    }

    /// <summary>CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s on Linux).</summary>
    private static double ProcessCpuSeconds(int processId)
    {
        var fields = File.ReadAllText($"/proc/{processId}/stat").Split(") ")[1].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100;
    }
}
