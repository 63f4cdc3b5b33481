using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// Three simulated regions (eu, us, asia) on the local runtime, the whole pipeline as a user
/// meets it: sign up through the outbox, a monitor of a loopback target, the target stopped
/// (one failure alert naming the error and the three regions, given a delay of one minute and
/// a repeat longer than the outage) and started again (one recovery notice); and one region
/// cut off the network, which is our trouble, not the target's, so no incident opens.
/// </summary>
public sealed partial class ThreeRegionIncidentTests
{
    private const string Email = "owner@example.com";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task A_target_stopped_and_started_again_brings_exactly_one_failure_alert_and_one_recovery_notice()
    {
        await using var canary = new HttpTestServer();
        using var target = new SwitchableTarget();
        await using var runtime = await LocalRuntime.StartAsync(Options(canary));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await IncidentFlowTests.SignUpAsync(http); // the same owner@example.com
        var monitorId = await AddMonitorAsync(http, target.Port);

        // Up from every region first, so that the incident is the stop's.
        await Eventually.True(async () => (string?)(await http.GetFromJsonAsync<JsonObject>($"monitors/{monitorId}"))!["state"] == "up", Patience, "the monitor to be up");
        target.Stop();

        var down = await MessageAsync(http, m => IsTo(m, "DOWN"), "the failure alert");
        var body = (string)down["body"]!;
        Assert.Equal("DOWN: Three regions", (string?)down["subject"]);
        Assert.Contains("What failed: connect:", body, StringComparison.Ordinal);
        Assert.Contains("ECONNREFUSED", body, StringComparison.Ordinal);
        var failingFrom = FailingFrom().Match(body);
        Assert.True(failingFrom.Success, body);
        Assert.Equal(["asia", "eu", "us"], failingFrom.Groups[1].Value.Split(", ").Order(StringComparer.Ordinal));
        Assert.Contains("Alert 1 of at most 4", body, StringComparison.Ordinal);

        target.Start();
        await MessageAsync(http, m => IsTo(m, "RECOVERED"), "the recovery notice");
        var incident = await Eventually.Get(
            async () => (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!.FirstOrDefault(i => (string?)i!["state"] == "recovered"),
            Patience,
            "the incident to be recorded as recovered");

        var outbox = (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!;
        Assert.Single(outbox, m => IsTo(m!, "DOWN"));
        Assert.Single(outbox, m => IsTo(m!, "RECOVERED"));
        Assert.Single((await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!);
        var alerts = incident!["alerts"]!.AsArray();
        Assert.Equal(["failure", "recovery"], alerts.Select(a => (string)a!["kind"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Six_targets_going_dark_together_while_the_canaries_answer_each_alert_their_owner_once()
    {
        // One provider's network down: three targets refuse, three never answer, from every
        // region at once, while every region's canary answers. That is an outage, not our trouble.
        await using var canary = new HttpTestServer();
        await using var runtime = await LocalRuntime.StartAsync(Options(canary));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await IncidentFlowTests.SignUpAsync(http); // the same owner@example.com
        var refusing = Enumerable.Range(0, 3).Select(_ => ClosedPorts.RefusingTcp(out var port) is var socket ? (Socket: socket, Port: port) : default).ToList();
        var silent = Enumerable.Range(0, 3).Select(_ => ClosedPorts.Unresponsive()).ToList();
        try
        {
            var ports = refusing.Select(r => r.Port).Concat(silent.Select(s => s.Port)).ToList();
            for (var i = 0; i < ports.Count; i++)
            {
                var created = await http.PostAsJsonAsync("monitors", new
                {
                    name = $"Dark {i}",
                    type = "tcp",
                    target = $"127.0.0.1:{ports[i]}",
                    intervalMinutes = 1,
                    timeoutSeconds = 1,
                    alertDelayMinutes = 0,
                    repeatMinutes = 600,
                });
                Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            }

            var names = Enumerable.Range(0, ports.Count).Select(i => $"DOWN: Dark {i}").ToList();
            var down = await Eventually.Get(
                async () => (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!.Where(m => IsTo(m!, "DOWN")).ToList() is { } all
                    && names.All(n => all.Any(m => (string?)m!["subject"] == n)) ? all : null,
                Patience,
                "a failure alert for each of the six targets");

            Assert.Equal(names, down.Select(m => (string)m!["subject"]!).Order(StringComparer.Ordinal));
            Assert.All(down, m => Assert.Contains("Failing from: ", (string)m!["body"]!, StringComparison.Ordinal));
            var regions = (await http.GetFromJsonAsync<JsonArray>("regions"))!;
            Assert.All(regions, r => Assert.True((bool)r!["trusted"]!, r!.ToJsonString()));
        }
        finally
        {
            refusing.ForEach(r => r.Socket.Dispose());
            silent.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task One_region_cut_off_the_network_opens_no_incident()
    {
        await using var canary = new HttpTestServer();
        using var target = new SwitchableTarget();
        await using var runtime = await LocalRuntime.StartAsync(Options(canary));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await IncidentFlowTests.SignUpAsync(http); // the same owner@example.com
        var monitorId = await AddMonitorAsync(http, target.Port);
        await Eventually.True(async () => (string?)(await http.GetFromJsonAsync<JsonObject>($"monitors/{monitorId}"))!["state"] == "up", Patience, "the monitor to be up");

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("dev/regions/us/isolated", null)).StatusCode);
        var cutAt = DateTimeOffset.UtcNow;

        // Three cycles decided since the cut, each with us untrusted: their verdicts were handed off.
        var minute = TimeSpan.FromSeconds(MinuteSeconds);
        await Eventually.True(
            async () => (await http.GetFromJsonAsync<JsonArray>("regions"))!.Single(r => (string?)r!["name"] == "us") is { } us
                && (bool?)us["trusted"] == false
                && us["lastCycleAt"] is { } last && DateTimeOffset.Parse((string)last!, CultureInfo.InvariantCulture) >= cutAt + (3 * minute),
            Patience,
            "three cycles decided with us isolated");

        Assert.Empty((await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!);
        Assert.DoesNotContain((await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!, m => IsTo(m!, "DOWN"));
        Assert.Equal("up", (string?)(await http.GetFromJsonAsync<JsonObject>($"monitors/{monitorId}"))!["state"]);
    }

    private const int MinuteSeconds = 4;

    private static LocalRuntimeOptions Options(HttpTestServer canary) => TestRuntime.Options($"three{Guid.NewGuid():N}"[..20], new()
    {
        ["SM_REGIONS"] = "eu,us,asia",
        ["SM_MINUTE_SECONDS"] = MinuteSeconds.ToString(CultureInfo.InvariantCulture),
        ["SM_CANARY_TARGETS"] = $"127.0.0.1:{canary.Port}",
    }, withSamples: false);

    private static bool IsTo(JsonNode m, string subject) =>
        (string?)m["to"] == Email && ((string?)m["subject"])?.StartsWith(subject, StringComparison.Ordinal) == true;

    private static async Task<string> AddMonitorAsync(HttpClient http, int port)
    {
        var created = await http.PostAsJsonAsync("monitors", new
        {
            name = "Three regions",
            type = "tcp",
            target = $"127.0.0.1:{port}",
            intervalMinutes = 1,
            timeoutSeconds = 2,
            alertDelayMinutes = 1,
            repeatMinutes = 600,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static Task<JsonNode> MessageAsync(HttpClient http, Func<JsonNode, bool> match, string what) =>
        Eventually.Get(async () => (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!.FirstOrDefault(m => match(m!)), Patience, what)!;

    [GeneratedRegex(@"Failing from: ([^\n]+)")]
    private static partial Regex FailingFrom();

    /// <summary>
    /// A TCP target on a port of its own that can be stopped (connections refused: the port stays
    /// bound, not listening) and started again on the same port.
    /// </summary>
    internal sealed class SwitchableTarget : IDisposable
    {
        private readonly object gate = new();
        private Socket socket;

        public SwitchableTarget()
        {
            socket = Bound(0);
            Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            Start();
        }

        public int Port { get; }

        public void Start()
        {
            lock (gate)
            {
                socket.Listen(64);
                _ = AcceptAsync(socket);
            }
        }

        public void Stop()
        {
            lock (gate)
            {
                var old = socket;
                socket = Bound(Port);
                old.Dispose();
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                socket.Dispose();
            }
        }

        private static Socket Bound(int port)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return s;
        }

        private static async Task AcceptAsync(Socket listener)
        {
            try
            {
                while (true)
                {
                    using var accepted = await listener.AcceptAsync();
                    accepted.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
