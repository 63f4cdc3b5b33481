using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>The incident store against Azurite: keys, idempotent writes under replays, runs of verdicts, ETags.</summary>
public sealed class IncidentStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-02-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private ServiceProvider services = null!;

    private IncidentStore Store => services.GetRequiredService<IncidentStore>();

    public async Task InitializeAsync() => services = await CoreAccounts.StartAsync(azurite.ConnectionString, new FakeTimeProvider(T0));

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Creating_is_idempotent_and_the_id_finds_the_incident()
    {
        var incident = NewIncident(Ids.New(Ids.Monitor), 29_500_000);
        Assert.True(await Store.CreateAsync(incident, default));
        Assert.False(await Store.CreateAsync(incident with { State = IncidentStatus.Alerting }, default));

        var read = await Store.GetAsync(incident.Id, default);
        Assert.Equal(incident with { ETag = read!.ETag }, read);
        Assert.Null(await Store.GetAsync($"{incident.MonitorId}-29500001", default));
        Assert.Null(await Store.GetAsync("not-an-id", default));
        Assert.Null(await Store.GetDetailAsync("m-1", default));
    }

    [Fact]
    public async Task A_monitors_incidents_are_listed_newest_first_up_to_the_limit()
    {
        var monitor = Ids.New(Ids.Monitor);
        foreach (var minute in new long[] { 100, 5_000, 42, 29_500_000 })
        {
            await Store.CreateAsync(NewIncident(monitor, minute), default);
        }

        await Store.CreateAsync(NewIncident(Ids.New(Ids.Monitor), 200), default);
        Assert.Equal([29_500_000L, 5_000, 100, 42], (await Store.ListAsync(monitor, 20, default)).Select(i => i.OpenedMinute));
        Assert.Equal([29_500_000L, 5_000], (await Store.ListAsync(monitor, 2, default)).Select(i => i.OpenedMinute));
        Assert.Empty(await Store.ListAsync(Ids.New(Ids.Monitor), 20, default));
    }

    [Fact]
    public async Task Timeline_writes_are_idempotent_and_a_run_grows_keeps_its_first_time_and_never_shrinks()
    {
        var incident = NewIncident(Ids.New(Ids.Monitor), 1_000);
        await Store.CreateAsync(incident, default);
        TimelineEntry[] opening = [new(0, TimelineKind.Opened, 1_000, VerdictOutcome.Fail, ["eu"]), new(1, TimelineKind.Recheck, 1_001)];
        var run = new TimelineEntry(2, TimelineKind.Verdict, 1_001, VerdictOutcome.Fail, ["eu"]);

        await Store.PutTimelineAsync(incident.Id, T0, opening, default);
        await Store.PutTimelineAsync(incident.Id, T0, opening, default);
        await Store.PutTimelineAsync(incident.Id, T0.AddMinutes(1), [run], default);
        await Store.PutTimelineAsync(incident.Id, T0.AddMinutes(2), [run with { Count = 2, LastMinute = 1_002, Regions = ["eu", "us"] }], default);
        await Store.PutTimelineAsync(incident.Id, T0.AddMinutes(2), [run with { Count = 2, LastMinute = 1_002, Regions = ["eu", "us"] }], default);

        // A late repeat of the first write of the run (a redelivered activity) changes nothing.
        await Store.PutTimelineAsync(incident.Id, T0.AddMinutes(1), [run], default);

        var detail = (await Store.GetDetailAsync(incident.Id, default))!;
        Assert.Equal([0, 1, 2], detail.Timeline.Select(t => t.Entry.Seq));
        var stored = detail.Timeline[2];
        Assert.Equal((T0.AddMinutes(1), T0.AddMinutes(2), 2, 1_002L), (stored.At, stored.LastAt!.Value, stored.Entry.Count, stored.Entry.LastMinute!.Value));
        Assert.Equal(["eu", "us"], stored.Entry.Regions);
        Assert.Equal(opening[0] with { Regions = null }, detail.Timeline[0].Entry with { Regions = null });
        Assert.Equal(["eu"], detail.Timeline[0].Entry.Regions);
    }

    [Fact]
    public async Task A_six_hour_outage_keeps_a_timeline_of_five_rows()
    {
        var monitor = Ids.New(Ids.Monitor);
        const long m = 29_500_000;
        var opened = IncidentPolicy.Open(new IncidentOpening(IncidentIds.Of(monitor, m), monitor, m, ["eu", "us"], 2, 1, [new("a:c", 0, 15)]), m + 0.5);
        var incident = NewIncident(monitor, m);
        await Store.CreateAsync(incident, default);
        await Write(opened.Commands, T0);
        var state = opened.State;
        for (var minute = m + 1; minute <= m + 360; minute++)
        {
            var decision = IncidentPolicy.Decide(state, new VerdictArrived(minute, VerdictOutcome.Fail, ["eu", "us"]), minute + 0.5);
            foreach (var alert in decision.Commands.OfType<SendFailureAlert>())
            {
                decision = decision with { State = IncidentPolicy.Decide(decision.State, new AlertStored(alert.Destination, alert.Sequence), minute + 0.5).State };
            }

            state = decision.State;
            await Write(decision.Commands, T0.AddMinutes(minute - m));
        }

        var detail = (await Store.GetDetailAsync(incident.Id, default))!;
        Assert.Equal(["Opened", "Recheck", "Verdict", "Alerting", "Verdict"], detail.Timeline.Select(t => t.Entry.Kind.ToString()));
        Assert.Equal((m + 1, 2, (long?)(m + 2)), (detail.Timeline[2].Entry.Minute!.Value, detail.Timeline[2].Entry.Count, detail.Timeline[2].Entry.LastMinute));
        Assert.Equal((m + 3, 358, (long?)(m + 360)), (detail.Timeline[4].Entry.Minute!.Value, detail.Timeline[4].Entry.Count, detail.Timeline[4].Entry.LastMinute));

        Task Write(IEnumerable<IncidentCommand> commands, DateTimeOffset at) =>
            Store.PutTimelineAsync(incident.Id, at, commands.OfType<WriteTimeline>().Select(w => w.Entry).ToList(), default);
    }

    [Fact]
    public async Task The_state_is_set_under_the_etag_it_was_read_with_and_an_end_once_written_stays()
    {
        var incident = NewIncident(Ids.New(Ids.Monitor), 7);
        await Store.CreateAsync(incident, default);
        var read = (await Store.GetAsync(incident.Id, default))!;
        Assert.True(await Store.SetStateAsync(read, IncidentStatus.Alerting, null, null, default));
        Assert.False(await Store.SetStateAsync(read, IncidentStatus.Cancelled, IncidentEnd.Cancelled, T0, default));

        var alerting = (await Store.GetAsync(incident.Id, default))!;
        Assert.Equal(IncidentStatus.Alerting, alerting.State);
        Assert.True(await Store.SetStateAsync(alerting, IncidentStatus.Recovered, IncidentEnd.Recovered, T0.AddHours(1), default));
        var recovered = (await Store.GetAsync(incident.Id, default))!;
        Assert.True(await Store.SetStateAsync(recovered, IncidentStatus.Cancelled, IncidentEnd.Deleted, T0.AddHours(2), default));
        var after = (await Store.GetAsync(incident.Id, default))!;
        Assert.Equal((IncidentEnd.Recovered, T0.AddHours(1)), (after.End!.Value, after.ClosedAt!.Value));
    }

    [Fact]
    public async Task Alerts_are_kept_per_destination_and_number_with_their_latest_status_and_notes_in_time_order()
    {
        var incident = NewIncident(Ids.New(Ids.Monitor), 9);
        await Store.CreateAsync(incident, default);
        var first = new AlertRecord(T0.AddMinutes(2), "a1:c1", ChannelKind.Email, AlertKind.Failure, 1, AlertStatus.Sending);
        await Store.PutAlertAsync(incident.Id, first, default);
        await Store.PutAlertAsync(incident.Id, first with { Status = AlertStatus.Sent }, default);
        await Store.PutAlertAsync(incident.Id, first with { Destination = "a0:c9", Channel = ChannelKind.Sms, Status = AlertStatus.Retrying }, default);
        await Store.PutAlertAsync(incident.Id, first with { At = T0.AddMinutes(17), Sequence = 2, Status = AlertStatus.Failed }, default);
        await Store.PutAlertAsync(incident.Id, new AlertRecord(T0.AddMinutes(30), "a1:c1", ChannelKind.Email, AlertKind.Recovery, null, AlertStatus.Sent), default);

        await Store.AddNoteAsync(incident.Id, new IncidentNote(T0.AddMinutes(5), "a1", "second"), default);
        await Store.AddNoteAsync(incident.Id, new IncidentNote(T0.AddMinutes(3), "a2", "first"), default);
        await Store.AddNoteAsync(incident.Id, new IncidentNote(T0.AddMinutes(5), "a1", "second, same tick"), default);

        var detail = (await Store.GetDetailAsync(incident.Id, default))!;
        Assert.Equal(
            ["a0:c9 Failure 1 Retrying", "a1:c1 Failure 1 Sent", "a1:c1 Failure 2 Failed", "a1:c1 Recovery  Sent"],
            detail.Alerts.Select(a => $"{a.Destination} {a.Kind} {a.Sequence} {a.Status}"));
        Assert.Equal("first", detail.Notes[0].Text);
        Assert.Equal(["second", "second, same tick"], detail.Notes.Skip(1).Select(n => n.Text).Order());
    }

    [Fact]
    public async Task An_incidents_rows_stay_in_its_monitors_partition_and_apart_from_other_incidents()
    {
        var monitor = Ids.New(Ids.Monitor);
        var older = NewIncident(monitor, 10);
        var newer = NewIncident(monitor, 11);
        await Store.CreateAsync(older, default);
        await Store.CreateAsync(newer, default);
        await Store.PutTimelineAsync(older.Id, T0, [new(0, TimelineKind.Opened, 10)], default);
        await Store.AddNoteAsync(newer.Id, new IncidentNote(T0, "a1", "x"), default);

        Assert.Single((await Store.GetDetailAsync(older.Id, default))!.Timeline);
        Assert.Empty((await Store.GetDetailAsync(older.Id, default))!.Notes);
        Assert.Empty((await Store.GetDetailAsync(newer.Id, default))!.Timeline);
        var rows = 0;
        await foreach (var _ in new TableServiceClient(azurite.ConnectionString).GetTableClient(StorageNames.Incidents).QueryAsync<TableEntity>(e => e.PartitionKey == monitor))
        {
            rows++;
        }

        Assert.Equal(4, rows);
    }

    private static IncidentRecord NewIncident(string monitorId, long minute) =>
        new(IncidentIds.Of(monitorId, minute), monitorId, new AlertedMonitor(monitorId, "Shop front", ProbeType.Https, "https://shop.example.com/"), minute, T0, IncidentStatus.Pending, null, null);
}
