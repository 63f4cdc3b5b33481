using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>
/// A local stand-in for the Azure Communication Services REST API, on Kestrel at 127.0.0.1 with
/// an ephemeral port. Like ACS it:
/// - checks every request's HMAC-SHA256 access-key signature, recomputed from the raw request
///   (method, path and query as sent, x-ms-date, Host, and the body's hash), and refuses a wrong
///   key, a changed body or a date more than 15 minutes off; or, when started with a bearer
///   token, checks <c>Authorization: Bearer</c> instead;
/// - checks the shape of <c>POST /emails:send</c> and <c>POST /sms</c> and the api-version;
/// - runs email as a long-running operation: 202 + Operation-Location, then GET polls;
/// - honours repeatable requests (Repeatability-Request-Id / -First-Sent headers for email,
///   repeatabilityRequestId / repeatabilityFirstSent per SMS recipient): a repeat inside the
///   5-minute window gets the original answer and sends nothing again.
/// It can be told to fail the next sends (any status, Retry-After, after processing), how email
/// operations end, and to hold a request until released.
/// </summary>
public sealed partial class FakeAcsServer : IAsyncDisposable
{
    private static readonly TimeSpan RepeatabilityWindow = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    private static readonly string[] EmailApiVersions = ["2023-03-31", "2025-09-01"];
    private static readonly string[] SmsApiVersions = ["2021-03-07", "2022-07-07", "2024-01-02", "2024-02-05", "2025-09-17", "2026-01-23"];

    private readonly Lock gate = new();
    private readonly FakeAcsOptions options;
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly List<FakeEmail> emails = [];
    private readonly List<FakeSms> sms = [];
    private readonly List<RecordedRequest> requests = [];
    private readonly Queue<FakeFailure> failures = new();
    private readonly List<HeldRequest> holds = [];
    private readonly Dictionary<string, Operation> operations = [];
    private readonly Dictionary<string, Repeat> repeats = [];
    private WebApplication? app;

    private FakeAcsServer(FakeAcsOptions options) => this.options = options;

    public Uri Url { get; private set; } = null!;

    public string AccessKey => Convert.ToBase64String(key);

    public string ConnectionString => $"endpoint={Url};accesskey={AccessKey}";

    /// <summary>Status polls that answer Running before the final status.</summary>
    public int RunningPolls { get; set; } = 1;

    /// <summary>How email operations end: Succeeded, Failed or Canceled.</summary>
    public string FinalStatus { get; set; } = "Succeeded";

    /// <summary>The retry-after (seconds) sent with a 202 and with every Running poll.</summary>
    public string PollRetryAfter { get; set; } = "1";

    public IReadOnlyList<FakeEmail> Emails => Snapshot(emails);

    public IReadOnlyList<FakeSms> Sms => Snapshot(sms);

    public IReadOnlyList<RecordedRequest> Requests => Snapshot(requests);

    public static async Task<FakeAcsServer> StartAsync(FakeAcsOptions? options = null)
    {
        var server = new FakeAcsServer(options ?? new FakeAcsOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (server.options.Certificate is { } certificate)
            {
                listen.UseHttps(certificate);
            }
        }));
        server.app = builder.Build();
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Url = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>The next send requests (not polls) get these answers, one each, in order.</summary>
    public void FailNext(params FakeFailure[] next)
    {
        lock (gate)
        {
            foreach (var failure in next)
            {
                failures.Enqueue(failure);
            }
        }
    }

    /// <summary>The next request with this method waits, unanswered, until released or abandoned by the client.</summary>
    public HeldRequest HoldNext(string method)
    {
        var held = new HeldRequest(method);
        lock (gate)
        {
            holds.Add(held);
        }

        return held;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());

        if (TakeHold(request.Method) is { } held)
        {
            try
            {
                await held.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Record(new RecordedRequest(request.Method, target, 499, "the client gave up waiting", headers, Encoding.UTF8.GetString(body)));
                return;
            }
        }

        Answer answer;
        string? problem = null;
        try
        {
            answer = Handle(request.Method, target, headers, body);
        }
        catch (FakeAcsRefusal refusal)
        {
            problem = refusal.Message;
            var extra = refusal.RetryAfter is null ? [] : new Dictionary<string, string> { ["retry-after"] = refusal.RetryAfter };
            answer = new Answer(refusal.Status, extra, new JsonObject { ["error"] = new JsonObject { ["code"] = refusal.Code, ["message"] = refusal.Message } });
        }

        Record(new RecordedRequest(request.Method, target, answer.Status, problem, headers, Encoding.UTF8.GetString(body)));
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
    }

    private Answer Handle(string method, string target, Dictionary<string, string> headers, byte[] body)
    {
        Authenticate(method, target, headers, body);
        var (path, query) = Split(target);
        var apiVersion = query.GetValueOrDefault("api-version") ?? throw new FakeAcsRefusal(400, "MissingApiVersionParameter", "api-version is required");
        if (method == "GET" && OperationPath().Match(path) is { Success: true } operation)
        {
            RequireVersion(apiVersion, EmailApiVersions);
            return Poll(operation.Groups[1].Value);
        }

        var injected = TakeFailure();
        if (injected is { AfterProcessing: false, RecipientStatus: null })
        {
            throw Injected(injected);
        }

        Answer answer = (method, path) switch
        {
            ("POST", "/emails:send") => SendEmail(headers, body, apiVersion),
            ("POST", "/sms") => SendSms(headers, body, apiVersion, injected?.RecipientStatus),
            _ => throw new FakeAcsRefusal(404, "NotFound", $"no route {method} {path}"),
        };
        return injected is { AfterProcessing: true } ? throw Injected(injected) : answer;
    }

    private void Authenticate(string method, string target, Dictionary<string, string> headers, byte[] body)
    {
        var authorization = headers.GetValueOrDefault("authorization");
        if (options.BearerToken is { } token)
        {
            if (authorization != $"Bearer {token}")
            {
                throw new FakeAcsRefusal(401, "Denied", "a valid bearer token is required");
            }

            return;
        }

        var date = headers.GetValueOrDefault("x-ms-date");
        var contentHash = headers.GetValueOrDefault("x-ms-content-sha256");
        var host = headers.GetValueOrDefault("host");
        if (date is null || contentHash is null || authorization is null || host is null)
        {
            throw new FakeAcsRefusal(401, "Denied", "missing x-ms-date, x-ms-content-sha256, host or authorization");
        }

        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || (signedAt - options.Time.GetUtcNow()).Duration() > AllowedSkew)
        {
            throw new FakeAcsRefusal(401, "Denied", "x-ms-date is not within 15 minutes");
        }

        if (Convert.ToBase64String(SHA256.HashData(body)) != contentHash)
        {
            throw new FakeAcsRefusal(401, "Denied", "x-ms-content-sha256 does not match the body");
        }

        var scheme = HmacAuthorization().Match(authorization);
        if (!scheme.Success || scheme.Groups[1].Value != "x-ms-date;host;x-ms-content-sha256")
        {
            throw new FakeAcsRefusal(401, "Denied", "malformed Authorization header");
        }

        var stringToSign = $"{method}\n{target}\n{date};{host};{contentHash}";
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign));
        var given = new byte[64];
        if (!Convert.TryFromBase64String(scheme.Groups[2].Value, given, out var length) || !CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected))
        {
            throw new FakeAcsRefusal(401, "Denied", "the signature does not match");
        }
    }

    private Answer SendEmail(Dictionary<string, string> headers, byte[] body, string apiVersion)
    {
        RequireVersion(apiVersion, EmailApiVersions);
        RequireJson(headers);
        var message = ParseJson(body);
        var sender = message["senderAddress"]?.GetValueKind() == JsonValueKind.String ? message["senderAddress"]!.GetValue<string>() : null;
        if (sender is null || !sender.Contains('@', StringComparison.Ordinal))
        {
            throw new FakeAcsRefusal(400, "BadRequest", "senderAddress is required");
        }

        var subject = Text(message["content"]?["subject"]) ?? throw new FakeAcsRefusal(400, "BadRequest", "content.subject is required");
        var plainText = Text(message["content"]?["plainText"]);
        var html = Text(message["content"]?["html"]);
        if (plainText is null && html is null)
        {
            throw new FakeAcsRefusal(400, "BadRequest", "plainText or html is required");
        }

        var to = (message["recipients"]?["to"] as JsonArray)?.Select(r => Text(r?["address"])).ToList();
        if (to is null || to.Count == 0 || to.Any(a => a is null || !a.Contains('@', StringComparison.Ordinal)))
        {
            throw new FakeAcsRefusal(400, "BadRequest", "recipients.to needs at least one address");
        }

        var operationId = headers.GetValueOrDefault("operation-id") ?? Guid.NewGuid().ToString();
        if (!Guid.TryParseExact(operationId, "D", out _))
        {
            throw new FakeAcsRefusal(400, "BadRequest", "Operation-Id must be a GUID");
        }

        return Repeatable(headers.GetValueOrDefault("repeatability-request-id"), headers.GetValueOrDefault("repeatability-first-sent"), Encoding.UTF8.GetString(body), () =>
        {
            if (!operations.TryAdd(operationId, new Operation(FinalStatus)))
            {
                throw new FakeAcsRefusal(409, "Conflict", "an operation with this Operation-Id exists");
            }

            emails.Add(new FakeEmail(operationId, sender, to!, subject, plainText, html));
            var location = new Uri(Url, $"emails/operations/{operationId}?api-version={apiVersion}");
            return new Answer(
                202,
                new Dictionary<string, string> { ["operation-location"] = location.ToString(), ["retry-after"] = PollRetryAfter },
                new JsonObject { ["id"] = operationId, ["status"] = "Running" });
        });
    }

    private Answer Poll(string id)
    {
        lock (gate)
        {
            if (!operations.TryGetValue(id, out var operation))
            {
                throw new FakeAcsRefusal(404, "NotFound", "no such operation");
            }

            operation.Polls++;
            var status = operation.Polls > RunningPolls ? operation.FinalStatus : "Running";
            var result = new JsonObject { ["id"] = id, ["status"] = status };
            if (status is "Failed" or "Canceled")
            {
                result["error"] = new JsonObject { ["code"] = "EmailDroppedAllRecipientsSuppressed", ["message"] = "all recipients are suppressed" };
            }

            var extra = status == "Running" ? new Dictionary<string, string> { ["retry-after"] = PollRetryAfter } : [];
            return new Answer(200, extra, result);
        }
    }

    private Answer SendSms(Dictionary<string, string> headers, byte[] body, string apiVersion, int? recipientStatus)
    {
        RequireVersion(apiVersion, SmsApiVersions);
        RequireJson(headers);
        var request = ParseJson(body);
        var from = Text(request["from"]);
        if (from is null || !E164().IsMatch(from))
        {
            throw new FakeAcsRefusal(400, "BadRequest", "from must be an E.164 number");
        }

        var message = Text(request["message"]);
        if (message is null || message.Length is 0 or > 2048)
        {
            throw new FakeAcsRefusal(400, "BadRequest", "message must be 1–2048 characters");
        }

        if (request["smsRecipients"] is not JsonArray recipients || recipients.Count is 0 or > 100)
        {
            throw new FakeAcsRefusal(400, "BadRequest", "smsRecipients must hold 1–100 recipients");
        }

        if (request["smsSendOptions"]?["enableDeliveryReport"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new FakeAcsRefusal(400, "BadRequest", "smsSendOptions.enableDeliveryReport is required");
        }

        var value = new JsonArray();
        foreach (var recipient in recipients)
        {
            var to = Text(recipient?["to"]);
            if (to is null || !E164().IsMatch(to))
            {
                throw new FakeAcsRefusal(400, "BadRequest", "recipient numbers must be E.164");
            }

            value.Add(recipientStatus is { } status
                ? new JsonObject { ["to"] = to, ["httpStatusCode"] = status, ["successful"] = false, ["errorMessage"] = "injected recipient failure" }
                : SendOneSms(from, to, message, Text(recipient?["repeatabilityRequestId"]), Text(recipient?["repeatabilityFirstSent"])));
        }

        return new Answer(202, [], new JsonObject { ["value"] = value });
    }

    private JsonNode SendOneSms(string from, string to, string message, string? requestId, string? firstSent)
    {
        var fingerprint = JsonSerializer.Serialize(new { from, to, message });
        return Repeatable(requestId, firstSent, fingerprint, () =>
        {
            var messageId = $"Outgoing_{Guid.NewGuid():N}";
            sms.Add(new FakeSms(messageId, from, to, message, requestId, firstSent));
            return new Answer(202, [], new JsonObject { ["to"] = to, ["messageId"] = messageId, ["httpStatusCode"] = 202, ["repeatabilityResult"] = "accepted", ["successful"] = true });
        }).Body.DeepClone();
    }

    /// <summary>OASIS repeatable requests, as ACS documents them: a repeat gets the first answer again.</summary>
    private Answer Repeatable(string? requestId, string? firstSent, string fingerprint, Func<Answer> execute)
    {
        lock (gate)
        {
            if (requestId is null && firstSent is null)
            {
                return execute();
            }

            if (requestId is null || !Guid.TryParseExact(requestId, "D", out _) || firstSent is null
                || !DateTimeOffset.TryParseExact(firstSent, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var first))
            {
                throw new FakeAcsRefusal(400, "BadRequest", "the repeatability id must be a GUID and the first-sent time an IMF date");
            }

            if (options.Time.GetUtcNow() - first > RepeatabilityWindow)
            {
                throw new FakeAcsRefusal(412, "PreconditionFailed", "the first-sent time is not within the 5 minute window");
            }

            if (repeats.TryGetValue(requestId, out var seen))
            {
                return seen.Fingerprint == fingerprint && seen.FirstSent == firstSent
                    ? seen.Answer
                    : throw new FakeAcsRefusal(400, "BadRequest", "a repeated request differs from the original");
            }

            var answer = execute();
            repeats[requestId] = new Repeat(fingerprint, firstSent, answer);
            return answer;
        }
    }

    private static FakeAcsRefusal Injected(FakeFailure failure) =>
        new(failure.Status, failure.Status == 429 ? "TooManyRequests" : "Injected", $"injected {failure.Status}", failure.RetryAfter);

    private static void RequireVersion(string apiVersion, string[] known)
    {
        if (!known.Contains(apiVersion))
        {
            throw new FakeAcsRefusal(400, "UnsupportedApiVersion", $"api-version {apiVersion} is not supported here");
        }
    }

    private static void RequireJson(Dictionary<string, string> headers)
    {
        if (!(headers.GetValueOrDefault("content-type") ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new FakeAcsRefusal(415, "UnsupportedMediaType", "JSON expected");
        }
    }

    private static JsonNode ParseJson(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw new FakeAcsRefusal(400, "BadRequest", "the body is not a JSON object");
        }
        catch (JsonException)
        {
            throw new FakeAcsRefusal(400, "BadRequest", "the body is not JSON");
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static (string Path, Dictionary<string, string> Query) Split(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = (question < 0 ? "" : target[(question + 1)..])
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length == 2 ? Uri.UnescapeDataString(p[1]) : "");
        return (path, query);
    }

    private FakeFailure? TakeFailure()
    {
        lock (gate)
        {
            return failures.TryDequeue(out var failure) ? failure : null;
        }
    }

    private HeldRequest? TakeHold(string method)
    {
        lock (gate)
        {
            var held = holds.FirstOrDefault(h => h.Method == method);
            if (held is not null)
            {
                holds.Remove(held);
            }

            return held;
        }
    }

    private void Record(RecordedRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
        }
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (gate)
        {
            return [.. list];
        }
    }

    [GeneratedRegex("^/emails/operations/([^/]+)$")]
    private static partial Regex OperationPath();

    [GeneratedRegex("^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$")]
    private static partial Regex HmacAuthorization();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    private sealed record Answer(int Status, Dictionary<string, string> Headers, JsonNode Body);

    private sealed record Repeat(string Fingerprint, string FirstSent, Answer Answer);

    private sealed class Operation(string finalStatus)
    {
        public string FinalStatus { get; } = finalStatus;

        public int Polls { get; set; }
    }
}
