using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessMonitor.Local;

namespace ServerlessMonitor.Bench;

/// <summary>What the incident benchmarks share: a local runtime, sign-up through the outbox, monitors over HTTP.</summary>
internal static partial class IncidentBenchSupport
{
    public static Task<LocalRuntime> RuntimeAsync(string name, Dictionary<string, string?> settings) =>
        LocalRuntime.StartAsync(new LocalRuntimeOptions
        {
            ReadEnvironment = false,
            InMemoryStorage = true,
            Settings = new Dictionary<string, string?>(settings)
            {
                ["SM_PORT"] = "0",
                ["SM_TASK_HUB"] = $"{name}{Guid.NewGuid():N}"[..20],
                ["SM_DATA_DIR"] = Directory.CreateTempSubdirectory($"sm-bench-{name}-").FullName,
            },
            Log = _ => { },
        });

    public static async Task<JsonArray> OutboxAsync(HttpClient http) => (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!;

    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {patience.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Signs <paramref name="email"/> up, confirms through the outbox; an HTTP client carrying its key.</summary>
    public static async Task<HttpClient> AccountAsync(LocalRuntime runtime, string email)
    {
        var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        (await http.PostAsJsonAsync("accounts", new { email })).EnsureSuccessStatusCode();
        var confirmation = await WaitAsync(async () => (await OutboxAsync(http)).FirstOrDefault(m => (string?)m!["to"] == email), TimeSpan.FromSeconds(60), "the confirmation");
        using var confirm = new HttpRequestMessage(HttpMethod.Post, ConfirmLink().Match((string)confirmation!["body"]!).Groups[1].Value)
        {
            Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
        };
        using var confirmed = await http.SendAsync(confirm);
        confirmed.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await confirmed.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!);
        return http;
    }

    public static async Task<string> MonitorAsync(HttpClient http, object body)
    {
        using var created = await http.PostAsJsonAsync("monitors", body);
        if (created.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"monitor not created: {await created.Content.ReadAsStringAsync()}");
        }

        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    public static DateTimeOffset At(JsonNode message) => DateTimeOffset.Parse((string)message["at"]!, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/api/(confirm/[^\s""<]+)")]
    private static partial Regex ConfirmLink();
}

/// <summary>
/// A loopback HTTP target that answers 200 while healthy and 503 while not, and remembers when
/// it first answered 503 since it was last made unhealthy: one end of the alert latency.
/// </summary>
internal sealed class FlipTarget : IDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly object gate = new();
    private bool healthy = true;
    private DateTimeOffset? firstFailAt;

    public FlipTarget()
    {
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(256);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public DateTimeOffset? FirstFailAt
    {
        get
        {
            lock (gate)
            {
                return firstFailAt;
            }
        }
    }

    public void Fail()
    {
        lock (gate)
        {
            healthy = false;
            firstFailAt = null;
        }
    }

    public void Heal()
    {
        lock (gate)
        {
            healthy = true;
        }
    }

    public void Dispose() => listener.Dispose();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptAsync();
                _ = ServeAsync(socket);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var buffer = new byte[4096];
                var read = 0;
                while (read < buffer.Length && !Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }

                bool ok;
                lock (gate)
                {
                    ok = healthy;
                    if (!ok)
                    {
                        firstFailAt ??= DateTimeOffset.UtcNow;
                    }
                }

                var body = ok ? "ok" : "down";
                var response = $"HTTP/1.1 {(ok ? "200 OK" : "503 Service Unavailable")}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
        }
    }
}
