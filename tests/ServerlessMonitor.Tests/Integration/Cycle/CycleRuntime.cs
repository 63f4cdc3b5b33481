using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Cycle;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Cycle;

/// <summary>
/// The local runtime with three simulated regions (east is primary) on a short scheduling
/// minute, every verdict hand-off recorded, and the steps the cycle tests share.
/// </summary>
public sealed class CycleRuntime : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private CycleRuntime(LocalRuntime runtime, VerdictRecorder verdicts)
    {
        Runtime = runtime;
        Verdicts = verdicts;
        Http = new HttpClient { BaseAddress = runtime.ApiUrl };
    }

    public LocalRuntime Runtime { get; }

    public VerdictRecorder Verdicts { get; }

    public HttpClient Http { get; }

    public MonitorStore Monitors => Runtime.ServicesOf("east").GetRequiredService<MonitorStore>();

    public static async Task<CycleRuntime> StartAsync(string canaries, double minuteSeconds = 4, int budget = 2000)
    {
        var verdicts = new VerdictRecorder();
        var options = TestRuntime.Options($"cyc{Guid.NewGuid():N}"[..20], new()
        {
            ["SM_REGIONS"] = "east,north,west",
            ["SM_MINUTE_SECONDS"] = minuteSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SM_CANARY_TARGETS"] = canaries,
            ["SM_CYCLE_BUDGET"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, withSamples: false) with
        {
            ConfigureServices = services => services.AddSingleton<IVerdictHandoff>(verdicts),
        };
        return new CycleRuntime(await LocalRuntime.StartAsync(options), verdicts);
    }

    public Task<string> AddAsync(ProbeType type, string target, int timeoutSeconds = 2) => CycleMonitors.AddAsync(Monitors, type, target, timeoutSeconds: timeoutSeconds);

    /// <summary>The verdicts of the first minute handed off in which <paramref name="holds"/> holds.</summary>
    public Task<Dictionary<string, MonitorVerdict>> VerdictsWhere(Func<Dictionary<string, MonitorVerdict>, bool> holds, string what) =>
        Eventually.Get(() => Task.FromResult(Verdicts.First(holds)), Patience, what);

    public async Task<MonitorState> StateOf(string monitor) => (await Monitors.GetAsync(monitor, default))!.State;

    public async Task<JsonArray> RegionsAsync() => (await Http.GetFromJsonAsync<JsonArray>("regions"))!;

    public async Task SetRegion(string region, string state) =>
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await Http.PostAsync($"dev/regions/{region}/{state}", null)).StatusCode);

    /// <summary>Every result row of a monitor, all minutes and regions.</summary>
    public Task<IReadOnlyList<CycleResult>> ResultsOf(string monitor) =>
        Runtime.ServicesOf("east").GetRequiredService<ResultStore>().RangeAsync(monitor, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), null, 5000, default);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Runtime.DisposeAsync();
    }
}
