using Azure.Data.Tables;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>Results on Azurite: keyed by (monitor, region, scheduled minute), batched, read back newest first as written.</summary>
public sealed class ResultStoreTests(StoreFixture store) : IClassFixture<StoreFixture>
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private ResultStore Results => new(store.Clients);

    [Fact]
    public async Task A_result_reads_back_as_written_with_its_certificate_warning_and_absent_phases()
    {
        var monitor = NewId();
        var warning = new CertificateWarning(6, new DateTimeOffset(2026, 12, 5, 8, 30, 0, TimeSpan.Zero), "CN=shop.example", new string('a', 64), 14);
        var passed = new CycleResult(monitor, "west", Minute, Minute.AddMilliseconds(130), new ProbeResult
        {
            Ok = true,
            Phases = new ProbePhases(1, 2, 5, 9, 10),
            Status = 200,
            RemoteAddress = "203.0.113.7",
            CertificateWarning = warning,
        });
        var failed = new CycleResult(monitor, "east", Minute, Minute.AddMilliseconds(90), new ProbeResult
        {
            Ok = false,
            Error = new ProbeError(ErrorClass.Connect, "connection refused", "ECONNREFUSED"),
            Phases = new ProbePhases(0.25, null, null, null, 1.5),
        });

        await Results.WriteAsync([passed, failed], default);
        var read = await Results.RangeAsync(monitor, Minute, Minute, null, 10, default);

        Assert.Equal(2, read.Count);
        var east = Assert.Single(read, r => r.Region == "east");
        Assert.Equal(failed.Probe.Error, east.Probe.Error);
        Assert.Equal(failed.Probe.Phases, east.Probe.Phases);
        Assert.Null(east.Probe.Status);
        Assert.Null(east.Probe.CertificateWarning);
        var west = Assert.Single(read, r => r.Region == "west");
        Assert.Equal((passed.MinuteAt, passed.At, passed.Probe.Phases, 200, "203.0.113.7"), (west.MinuteAt, west.At, west.Probe.Phases, west.Probe.Status!.Value, west.Probe.RemoteAddress!));
        Assert.Equal(warning, west.Probe.CertificateWarning);
        Assert.True(west.Probe.Ok);
    }

    [Fact]
    public async Task Writing_a_minute_again_replaces_its_rows_and_history_is_newest_first_within_bounds()
    {
        var monitor = NewId();
        var minutes = Enumerable.Range(0, 5).Select(i => Minute.AddMinutes(i)).ToList();
        var first = minutes.Select(m => Result(monitor, "west", m, total: 10)).ToList();
        await Results.WriteAsync(first, default);
        // A repeated timer or shard writes the same keys: the later probe replaces the row.
        await Results.WriteAsync(first.Select(r => Result(monitor, "west", r.MinuteAt, total: 20)), default);

        Assert.Equal(5, await CountRows(monitor));
        var read = await Results.RangeAsync(monitor, minutes[1], minutes[3], null, 100, default);
        Assert.Equal([minutes[3], minutes[2], minutes[1]], read.Select(r => r.MinuteAt));
        Assert.All(read, r => Assert.Equal(20, r.Probe.Phases.Total));
        Assert.Equal([minutes[4], minutes[3]], (await Results.RangeAsync(monitor, Minute, minutes[4], null, 2, default)).Select(r => r.MinuteAt));
    }

    [Fact]
    public async Task A_region_filter_keeps_that_regions_results()
    {
        var monitor = NewId();
        await Results.WriteAsync([Result(monitor, "east", Minute, 1), Result(monitor, "west", Minute, 2), Result(monitor, "west", Minute.AddMinutes(1), 3)], default);

        var west = await Results.RangeAsync(monitor, Minute, Minute.AddMinutes(1), "west", 10, default);

        Assert.Equal([3.0, 2.0], west.Select(r => r.Probe.Phases.Total));
    }

    [Fact]
    public async Task A_cycles_results_go_in_transactions_of_at_most_100_rows_of_one_partition()
    {
        var monitors = Enumerable.Range(0, 250).Select(_ => NewId()).ToList();
        var results = monitors.Select(m => Result(m, "west", Minute, 1)).ToList();
        var expected = results.GroupBy(r => r.Key.PartitionKey).Sum(g => (g.Count() + 99) / 100);

        var transactions = await Results.WriteAsync(results, default);

        Assert.Equal(expected, transactions);
        Assert.All(monitors.Take(20), m => Assert.Single(Results.RangeAsync(m, Minute, Minute, null, 10, default).Result));
    }

    [Fact]
    public async Task Deleting_before_a_time_keeps_what_is_newer()
    {
        var monitor = NewId();
        await Results.WriteAsync(Enumerable.Range(0, 4).Select(i => Result(monitor, "west", Minute.AddMinutes(i), i)), default);

        Assert.Equal(2, await Results.DeleteBeforeAsync(monitor, Minute.AddMinutes(2), default));

        Assert.Equal([Minute.AddMinutes(3), Minute.AddMinutes(2)], (await Results.RangeAsync(monitor, Minute, Minute.AddHours(1), null, 10, default)).Select(r => r.MinuteAt));
    }

    private static CycleResult Result(string monitor, string region, DateTimeOffset minute, double total) =>
        new(monitor, region, minute, minute.AddMilliseconds(5), new ProbeResult { Ok = true, Phases = new ProbePhases(null, 1, null, null, total) });

    private async Task<int> CountRows(string monitor)
    {
        var table = store.Clients.Table(StorageNames.Results);
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == ResultKey.BucketOf(monitor)))
        {
            count += row.RowKey.StartsWith(monitor + "|", StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    internal static string NewId() => "m" + Guid.NewGuid().ToString("N")[..20];
}
