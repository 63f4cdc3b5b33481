using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// A webhook receiver on 127.0.0.1 (Kestrel, an ephemeral port) as a user would write one: it
/// records each request with its raw body, answers what the test scripted (204 otherwise), and
/// can hold a request unanswered. <see cref="Verify"/> checks a signature the way docs/WEBHOOKS.md
/// tells receivers to, independently of the app's code.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<Received> received = [];
    private readonly Queue<(int Status, Dictionary<string, string> Headers)> answers = new();
    private HeldRequest? hold;
    private WebApplication app = null!;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        receiver.app = builder.Build();
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hook");
        return receiver;
    }

    /// <summary>The next requests get these answers, one each, in order.</summary>
    public void AnswerNext(int status, Dictionary<string, string>? headers = null)
    {
        lock (gate)
        {
            answers.Enqueue((status, headers ?? []));
        }
    }

    /// <summary>The next request waits, unanswered, until released or abandoned by the client.</summary>
    public HeldRequest HoldNext()
    {
        var held = new HeldRequest("POST");
        lock (gate)
        {
            hold = held;
        }

        return held;
    }

    /// <summary>
    /// Whether <c>x-sm-signature</c> is <c>t=&lt;t&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>
    /// for this body, with t equal to x-sm-timestamp and within five minutes of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(Received request, string secret, DateTimeOffset now)
    {
        var parts = request.Header("x-sm-signature")?.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (parts is null || !parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || t != request.Header("x-sm-timestamp"))
        {
            return false;
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + ".").Concat(request.Body).ToArray());
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var request = new Received(context.Request.Method, context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), buffer.ToArray());
        HeldRequest? held;
        (int Status, Dictionary<string, string> Headers) answer;
        lock (gate)
        {
            received.Add(request);
            held = hold;
            hold = null;
            answer = answers.Count > 0 ? answers.Dequeue() : (204, []);
        }

        if (held is not null)
        {
            await held.WaitAsync(context.RequestAborted);
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Status >= 400)
        {
            await context.Response.WriteAsync("nope", context.RequestAborted);
        }
    }

    internal sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);

        public string Text => Encoding.UTF8.GetString(Body);
    }
}
