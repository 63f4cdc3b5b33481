using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;
using static ServerlessMonitor.Tests.Cycle.Reports;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The verdict step that reads no monitor it need not (states carried with the cycle's outcomes,
/// <see cref="MonitorStates"/>) against the one it replaced (a scan of every monitor row at
/// verdict time, kept here as <see cref="ReferenceVerdictStep"/>), over generated cycles: two
/// Azurites holding the same world, one decided by each. Mostly healthy monitors, some failing,
/// some changing; monitors new, paused or deleted after the cycle's scan; states written after
/// the scan by a late verdict run of the minute before (recorded first, as the verdict step
/// records its changes); regions trusted, with failing canaries, silent, or writing outcomes
/// without a scan (an older version); recheck flags. Verdicts, what is handed off and the rows'
/// states afterwards must be the same.
/// </summary>
public sealed class VerdictStepEquivalenceProperties(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const ulong Seed = 20261130;
    private static readonly string[] RegionNames = ["asia", "eu", "us"];

    private AzuriteProcess referenceAzurite = null!;
    private ServiceProvider reference = null!;
    private ServiceProvider current = null!;

    private enum Standing
    {
        Trusted,
        CanariesDown,
        Silent,
    }

    private enum Between
    {
        Nothing,
        Deleted,
        Paused,
        LateVerdict,
    }

    public async Task InitializeAsync()
    {
        referenceAzurite = await AzuriteProcess.StartAsync(null, _ => { }, CancellationToken.None);
        reference = await Instance(referenceAzurite.ConnectionString);
        current = await Instance(azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await reference.DisposeAsync();
        await current.DisposeAsync();
        await referenceAzurite.DisposeAsync();
    }

    [Fact]
    public async Task Verdicts_hand_offs_and_states_are_those_of_the_step_that_read_every_monitor()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("SM_PROPERTY_CYCLES"), out var n) ? n : 120;
        var cases = Gen.Sample(Cycles, count, new Rnd(Seed), 30);
        var minute = 7_000_000L;
        var changed = 0;
        foreach (var (cycle, i) in cases.Select((c, i) => (c, i)))
        {
            minute += 10;
            var ids = await SetUpAsync(cycle, minute);
            var expected = await new ReferenceVerdictStep(reference).DecideAsync(minute);
            var actual = await current.GetRequiredService<VerdictStep>().DecideAsync(minute, default);

            var what = $"case {i} (seed {Seed}): {cycle}";
            Assert.True(expected is not null, what);
            Assert.True(actual is not null, what);
            Assert.Equal(Shown(expected.Verdicts), Shown(actual.Verdicts));
            Assert.Equal(await HandedOffAsync(reference, expected.Verdicts), await HandedOffAsync(current, actual.Verdicts));
            Assert.Equal(await RowsAsync(reference, ids), await RowsAsync(current, ids));

            // The clean per-minute list: exactly the states the old step changed, from what they were.
            var before = ids.Zip(cycle.Monitors).Where(m => m.Second.Between is not Between.Deleted).ToDictionary(m => m.First, m => m.Second.AtVerdict);
            var expectedChanges = expected.Verdicts
                .Where(v => before.TryGetValue(v.MonitorId, out var was) && was != MonitorStates.StateOf(v.Outcome))
                .Select(v => (v.MonitorId, before[v.MonitorId], MonitorStates.StateOf(v.Outcome)))
                .Order();
            Assert.Equal(expectedChanges, actual.Changes.Select(c => (c.MonitorId, c.From, c.To)).Order());
            Assert.Equal(actual.Changes, await current.GetRequiredService<CycleStore>().ReadChangesAsync(minute, default));
            changed += actual.Changes.Count;

            Assert.Null(await current.GetRequiredService<VerdictStep>().DecideAsync(minute, default));
        }

        // The cases reached what they are about.
        Assert.True(changed > count / 2, $"only {changed} state changes in {count} cycles");
    }

    private static Gen<CycleCase> Cycles { get; } =
        from regions in Gen.Frequency(
                (6, Gen.Constant(Standing.Trusted)),
                (2, Gen.Constant(Standing.CanariesDown)),
                (1, Gen.Constant(Standing.Silent)))
            .Zip(Gen.Frequency((7, Gen.Constant(false)), (1, Gen.Constant(true))))
            .ListOf(RegionNames.Length)
        from size in Gen.Choose(3, 15)
        from monitors in Monitor.ListOf(size)
        select new CycleCase(
            RegionNames.Zip(regions, (name, r) => new RegionCase(name, r.Item1, r.Item2)).ToList(),
            monitors.ToList());

    private static Gen<MonitorCase> Monitor { get; } =
        from initial in Gen.Frequency((2, Gen.Constant(MonitorState.Unknown)), (6, Gen.Constant(MonitorState.Up)), (2, Gen.Constant(MonitorState.Down)), (1, Gen.Constant(MonitorState.Suppressed)))
        from flagged in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from between in Gen.Frequency((8, Gen.Constant(Between.Nothing)), (1, Gen.Constant(Between.Deleted)), (1, Gen.Constant(Between.Paused)), (2, Gen.Constant(Between.LateVerdict)))
        from late in Gen.Elements(MonitorState.Up, MonitorState.Down, MonitorState.Suppressed)
        from health in Gen.Frequency((6, Gen.Constant(1.0)), (2, Gen.Constant(0.0)), (3, Gen.Constant(0.5)))
        from probes in Gen.Frequency((1, Gen.Constant<Probe?>(null)), (8, Gen.Choose(0, 99).Zip(Gen.Elements(Refused, ConnectTimeout, Status503, Resolver)).Select(p => (Probe?)new Probe(p.Item1, p.Item2)))).ListOf(RegionNames.Length)
        from scannedLate in Gen.Elements(false, true).ListOf(RegionNames.Length)
        select new MonitorCase(initial, flagged, between, late, [.. probes.Select(p => p is null ? null : p with { Ok = p.Roll < health * 100 })], [.. scannedLate]);

    /// <summary>Both worlds alike: the monitors as scanned, what happened before the verdict, the regions' reports. Returns the monitors' ids.</summary>
    private async Task<List<string>> SetUpAsync(CycleCase cycle, long minute)
    {
        var ids = cycle.Monitors.Select(_ => Core.Accounts.Ids.New(Core.Accounts.Ids.Monitor)).ToList();
        foreach (var world in new[] { reference, current })
        {
            var store = world.GetRequiredService<MonitorStore>();
            var cycles = world.GetRequiredService<CycleStore>();
            var at = world.GetRequiredService<Core.Scheduling.SchedulingClock>().StartOf(minute);
            foreach (var (id, monitor) in ids.Zip(cycle.Monitors))
            {
                var definition = new MonitorDefinition("m", ProbeType.Tcp, "127.0.0.1:9", 1, 2, ProbeExpect.None, 2, null, 15, 1, false, null, false);
                Assert.True(await store.CreateAsync(new MonitorRecord(id, "aowner", definition, monitor.Initial, null, at.AddMinutes(-30), at.AddMinutes(-30)), default));
                if (monitor.Flagged)
                {
                    await world.GetRequiredService<RecheckStore>().FlagAsync(id, at.AddMinutes(-5), default);
                }
            }

            foreach (var region in cycle.Regions.Where(r => r.Standing != Standing.Silent))
            {
                var outcomes = ids.Zip(cycle.Monitors)
                    .Where(m => m.Second.Probes[Array.IndexOf(RegionNames, region.Name)] is not null)
                    .Select(m =>
                    {
                        var r = Array.IndexOf(RegionNames, region.Name);
                        var probe = m.Second.Probes[r]!;
                        var scanned = m.Second.Between == Between.LateVerdict && m.Second.ScannedLate[r] ? m.Second.Late : m.Second.Initial;
                        return new ProbeOutcome(m.First, probe.Ok ? null : probe.Error) { Scanned = region.WithoutScan ? null : new ScannedState(scanned) };
                    })
                    .ToList();
                await cycles.ClaimAsync(region.Name, minute, at, default);
                await cycles.WriteOutcomesAsync(region.Name, minute, "main", outcomes, default);
                await cycles.WriteHealthAsync(new CycleHealth(region.Name, minute, at, at, at.AddSeconds(5), TimeSpan.Zero, outcomes.Count, outcomes.Count, 0, 0, Canaries(region.Standing == Standing.Trusted)), default);
            }

            // After the scan, before the verdict.
            var late = new List<StateChange>();
            foreach (var (id, monitor) in ids.Zip(cycle.Monitors))
            {
                var row = (await store.GetAsync(id, default))!;
                switch (monitor.Between)
                {
                    case Between.Deleted:
                        await store.DeleteAsync(row, at, default);
                        break;
                    case Between.Paused:
                        Assert.True(await store.UpdateConfigAsync(row, row.Definition with { Paused = true }, at, default));
                        break;
                    case Between.LateVerdict when monitor.Late != monitor.Initial:
                        late.Add(new StateChange(id, monitor.Initial, monitor.Late, minute - 1, at.AddMinutes(-1)));
                        break;
                }
            }

            // As the verdict step of the minute before would: the changes recorded, then the rows.
            await cycles.WriteChangesAsync(minute - 1, at.AddMinutes(-1), late, default);
            foreach (var change in late)
            {
                Assert.True(await store.SetStateAsync(change.MonitorId, change.To, change.At, (await store.GetAsync(change.MonitorId, default))!.ETag, default));
            }
        }

        return ids;
    }

    private static IEnumerable<string> Shown(IReadOnlyList<MonitorVerdict> verdicts) =>
        verdicts.Select(v => $"{v.MonitorId} {v.Minute} {v.Outcome} [{string.Join(",", v.Regions)}] {v.Reason}");

    /// <summary>What the incident hand-off acts on (IncidentNotices): failing verdicts and those of flagged monitors, in order.</summary>
    private static async Task<List<string>> HandedOffAsync(ServiceProvider world, IReadOnlyList<MonitorVerdict> verdicts)
    {
        var flagged = await world.GetRequiredService<RecheckStore>().ListAsync(default);
        return [.. Shown(verdicts.Where(v => v.Outcome == VerdictOutcome.Fail || flagged.Contains(v.MonitorId)).ToList())];
    }

    private static async Task<List<string>> RowsAsync(ServiceProvider world, List<string> ids)
    {
        var rows = new List<string>();
        foreach (var id in ids)
        {
            var row = await world.GetRequiredService<MonitorStore>().GetAsync(id, default);
            rows.Add(row is null ? $"{id} gone" : $"{id} {row.State} {row.StateChangedAt:O} paused={row.Definition.Paused}");
        }

        return rows;
    }

    private static Task<ServiceProvider> Instance(string connectionString) =>
        CoreAccounts.StartAsync(connectionString, TimeProvider.System, settings: new()
        {
            ["SM_REGION"] = "eu",
            ["SM_REGIONS"] = string.Join(',', RegionNames),
        });

    private sealed record RegionCase(string Name, Standing Standing, bool WithoutScan);

    /// <summary>One region's probe of a monitor: it fails when <see cref="Roll"/> falls above the monitor's health.</summary>
    private sealed record Probe(int Roll, ProbeError Error)
    {
        public bool Ok { get; init; }
    }

    /// <param name="Probes">Per region in <see cref="RegionNames"/> order; null where it was not probed.</param>
    /// <param name="ScannedLate">Per region: its scan came after <see cref="Between.LateVerdict"/>'s write.</param>
    private sealed record MonitorCase(MonitorState Initial, bool Flagged, Between Between, MonitorState Late, IReadOnlyList<Probe?> Probes, IReadOnlyList<bool> ScannedLate)
    {
        public MonitorState AtVerdict => Between == Between.LateVerdict ? Late : Initial;

        public override string ToString() =>
            $"{Initial}{(Flagged ? " flagged" : string.Empty)} {Between}{(Between == Between.LateVerdict ? $"→{Late} scanned late [{string.Join(",", ScannedLate)}]" : string.Empty)} probes [{string.Join(",", Probes.Select(p => p is null ? "-" : p.Ok ? "ok" : "fail"))}]";
    }

    private sealed record CycleCase(IReadOnlyList<RegionCase> Regions, IReadOnlyList<MonitorCase> Monitors)
    {
        public override string ToString() =>
            $"regions [{string.Join(", ", Regions.Select(r => $"{r.Name} {r.Standing}{(r.WithoutScan ? " unscanned" : string.Empty)}"))}]; monitors [{string.Join("; ", Monitors)}]";
    }

    /// <summary>
    /// The verdict step as it was before it stopped reading every monitor, kept as the reference:
    /// read the cycle, mark it decided, decide, scan every monitor row and write each state that
    /// differs under the row's ETag (read again on a lost race).
    /// </summary>
    private sealed class ReferenceVerdictStep(ServiceProvider world)
    {
        public async Task<CycleDecision?> DecideAsync(long minute)
        {
            var cycles = world.GetRequiredService<CycleStore>();
            var monitors = world.GetRequiredService<MonitorStore>();
            var cycle = await cycles.ReadAsync(minute, default);
            if (cycle.Decided || !await cycles.MarkDecidedAsync(minute, DateTimeOffset.UtcNow, default))
            {
                return null;
            }

            var decision = VerdictRules.Decide(minute, cycle.Reports());
            var at = world.GetRequiredService<Core.Scheduling.SchedulingClock>().StartOf(minute);
            var decided = decision.Verdicts.ToDictionary(v => v.MonitorId, v => MonitorStates.StateOf(v.Outcome), StringComparer.Ordinal);
            await foreach (var page in monitors.ListScheduledAsync(default))
            {
                foreach (var monitor in page.Where(m => decided.TryGetValue(m.Id, out var state) && state != m.State))
                {
                    if (!await monitors.SetStateAsync(monitor.Id, decided[monitor.Id], at, monitor.ETag, default)
                        && await monitors.GetAsync(monitor.Id, default) is { } row && row.State != decided[monitor.Id])
                    {
                        await monitors.SetStateAsync(monitor.Id, decided[monitor.Id], at, row.ETag, default);
                    }
                }
            }

            return decision;
        }
    }
}
