using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>What GET /api/incidents/&lt;id&gt;, GET /api/monitors/&lt;id&gt;/incidents and POST …/notes answer, through Core against Azurite.</summary>
public sealed class IncidentQueriesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-02-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly FakeTimeProvider time = new(T0.AddHours(1));
    private ServiceProvider services = null!;

    private IncidentStore Store => services.GetRequiredService<IncidentStore>();

    private IncidentQueries Queries => services.GetRequiredService<IncidentQueries>();

    public async Task InitializeAsync() => services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task An_incident_answers_with_its_state_end_timeline_with_alerts_merged_in_by_time_alerts_and_notes()
    {
        var id = await Recovered(Ids.New(Ids.Monitor));
        var view = await Queries.GetAsync(id, As(AccessLevel.Receiver), default);
        var json = JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new Core.UtcTimeJsonConverter() } });

        Assert.Equal((IncidentStatus.Recovered, IncidentEnd.Recovered, T0.AddMinutes(20)), (view.State, view.End!.Value, view.ClosedAt!.Value));
        Assert.Equal(["opened", "recheck", "verdict", "alerting", "alert", "verdict", "recovered", "recovery-notice"], view.Timeline.Select(t => t.Kind));
        Assert.Equal((5, (long?)29_500_006), (view.Timeline[5].Count!.Value, view.Timeline[5].LastMinute));
        Assert.Equal([(AlertKind.Failure, (int?)1, AlertStatus.Sent), (AlertKind.Recovery, null, AlertStatus.Sending)], view.Alerts.Select(a => (a.Kind, a.Sequence, a.Status)));
        Assert.StartsWith($$"""{"id":"{{id}}","monitorId":""", json, StringComparison.Ordinal);
        Assert.Contains("""{"at":"2026-02-01T10:02:00.000Z","kind":"alert","destination":"a1:c1","channel":"email","sequence":1}""", json, StringComparison.Ordinal);
        Assert.Contains("""{"at":"2026-02-01T10:02:00.000Z","destination":"a1:c1","channel":"email","kind":"failure","sequence":1,"status":"sent"}""", json, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"recovered\",\"end\":\"recovered\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"verdict\",\"minute\":29500002,\"outcome\":\"fail\",\"regions\":[\"eu\",\"us\"],\"count\":5,\"lastMinute\":29500006", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strangers_public_readers_malformed_and_unknown_ids_all_get_a_404()
    {
        var id = await Recovered(Ids.New(Ids.Monitor));
        foreach (var access in new[] { AccessLevel.None, AccessLevel.Public })
        {
            Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<Refusal>(() => Queries.GetAsync(id, As(access), default))).Kind);
            Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<Refusal>(() => Queries.AddNoteAsync(id, "a9", "hi", false, As(access), default))).Kind);
        }

        var asked = false;
        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<Refusal>(() => Queries.GetAsync("m1-2", (_, _) => { asked = true; return Task.FromResult(AccessLevel.Owner); }, default))).Kind);
        Assert.False(asked);
        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<Refusal>(() => Queries.GetAsync($"{Ids.New(Ids.Monitor)}-5", As(AccessLevel.Owner), default))).Kind);
    }

    [Fact]
    public async Task A_monitors_incidents_come_newest_first_limited_and_empty_for_public_readers()
    {
        var monitor = Ids.New(Ids.Monitor);
        foreach (var minute in new long[] { 10, 30, 20 })
        {
            await Store.CreateAsync(new IncidentRecord(IncidentIds.Of(monitor, minute), monitor, Monitor(monitor), minute, T0, IncidentStatus.Pending, null, null), default);
        }

        Assert.Equal([$"{monitor}-30", $"{monitor}-20", $"{monitor}-10"], (await Queries.ListAsync(monitor, null, As(AccessLevel.Owner), default)).Select(v => v.Id));
        Assert.Single(await Queries.ListAsync(monitor, 1, As(AccessLevel.Receiver), default));
        Assert.Empty(await Queries.ListAsync(monitor, null, As(AccessLevel.Public), default));
        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<Refusal>(() => Queries.ListAsync(monitor, null, As(AccessLevel.None), default))).Kind);
        foreach (var limit in new[] { 0, 101 })
        {
            var refused = await Assert.ThrowsAsync<Refusal>(() => Queries.ListAsync(monitor, limit, As(AccessLevel.Owner), default));
            Assert.Equal((RefusalKind.Invalid, "limit"), (refused.Kind, refused.Field));
        }
    }

    [Fact]
    public async Task Owners_and_receivers_add_notes_of_1_to_2000_characters()
    {
        var id = await Recovered(Ids.New(Ids.Monitor));
        var note = await Queries.AddNoteAsync(id, "a1", "  looking into it\nthe provider knows  ", false, As(AccessLevel.Owner), default);
        Assert.Equal(new IncidentNote(time.GetUtcNow(), "a1", "looking into it\nthe provider knows"), note);
        time.Advance(TimeSpan.FromMinutes(1));
        await Queries.AddNoteAsync(id, "a2", new string('x', 2000), false, As(AccessLevel.Receiver), default);

        foreach (var text in new[] { null, string.Empty, "   ", new string('x', 2001) })
        {
            var refused = await Assert.ThrowsAsync<Refusal>(() => Queries.AddNoteAsync(id, "a1", text, false, As(AccessLevel.Owner), default));
            Assert.Equal((RefusalKind.Invalid, "text"), (refused.Kind, refused.Field));
        }

        Assert.Equal(["a1", "a2"], (await Queries.GetAsync(id, As(AccessLevel.Owner), default)).Notes.Select(n => n.AccountId));
    }

    private static Func<string, CancellationToken, Task<AccessLevel>> As(AccessLevel access) => (_, _) => Task.FromResult(access);

    private static AlertedMonitor Monitor(string id) => new(id, "Shop front", ProbeType.Https, "https://shop.example.com/");

    /// <summary>An incident as the activities would have recorded it: opened, alerted once, recovered.</summary>
    private async Task<string> Recovered(string monitor)
    {
        const long m = 29_500_000;
        var id = IncidentIds.Of(monitor, m);
        await Store.CreateAsync(new IncidentRecord(id, monitor, Monitor(monitor), m, T0, IncidentStatus.Pending, null, null), default);
        await Store.PutTimelineAsync(id, T0, [new(0, TimelineKind.Opened, m, VerdictOutcome.Fail, ["eu", "us"]), new(1, TimelineKind.Recheck, m + 1)], default);
        await Store.PutTimelineAsync(id, T0.AddMinutes(1), [new(2, TimelineKind.Verdict, m + 1, VerdictOutcome.Fail, ["eu", "us"])], default);
        await Store.PutTimelineAsync(id, T0.AddMinutes(2), [new(3, TimelineKind.Alerting)], default);
        await Store.PutAlertAsync(id, new AlertRecord(T0.AddMinutes(2), "a1:c1", ChannelKind.Email, AlertKind.Failure, 1, AlertStatus.Sent), default);
        await Store.PutTimelineAsync(id, T0.AddMinutes(6), [new(4, TimelineKind.Verdict, m + 2, VerdictOutcome.Fail, ["eu", "us"], 5, m + 6)], default);
        await Store.PutAlertAsync(id, new AlertRecord(T0.AddMinutes(20), "a1:c1", ChannelKind.Email, AlertKind.Recovery, null, AlertStatus.Sending), default);
        await Store.PutTimelineAsync(id, T0.AddMinutes(20), [new(5, TimelineKind.Recovered)], default);
        var incident = (await Store.GetAsync(id, default))!;
        await Store.SetStateAsync(incident, IncidentStatus.Recovered, IncidentEnd.Recovered, T0.AddMinutes(20), default);
        return id;
    }
}
