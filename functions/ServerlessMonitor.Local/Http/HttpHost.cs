using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Local.Hosting;

namespace ServerlessMonitor.Local.Http;

/// <summary>
/// Serves HTTP functions at http://127.0.0.1:&lt;port&gt;/&lt;prefix&gt;/&lt;route&gt; as the host does:
/// route templates with parameters, HttpRequest in, IActionResult executed as the worker's
/// ASP.NET Core integration executes it. What the host itself would reject gets a JSON error:
/// unknown route 404, wrong method 405 with Allow, a body over 1 MiB 413.
/// </summary>
public sealed class HttpHost : IAsyncDisposable
{
    private const long MaxRequestBytes = 1024 * 1024;

    private readonly WebApplication app;

    private HttpHost(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;, without the route prefix.</summary>
    public Uri BaseUrl { get; }

    /// <param name="routes">Route template (below the prefix) → handler per upper-case method.</param>
    public static async Task<HttpHost> StartAsync(int port, string prefix, IReadOnlyDictionary<string, IReadOnlyDictionary<string, RequestDelegate>> routes, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddMvcCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = MaxRequestBytes;
            k.AddServerHeader = false;
        });

        var app = builder.Build();
        var log = loggerFactory.CreateLogger<HttpHost>();
        foreach (var (route, methods) in routes)
        {
            var allow = string.Join(", ", methods.Keys.Order(StringComparer.Ordinal));
            app.Map($"/{prefix}/{route}", context => Dispatch(context, methods, allow, log));
        }

        app.MapFallback(context => Error(context, StatusCodes.Status404NotFound, "not_found", $"no route {context.Request.Method} {context.Request.Path}"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Urls.First();
        return new HttpHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Runs an IActionResult the way the worker's HTTP proxying middleware does.</summary>
    public static Task ExecuteAsync(HttpContext context, object? result) => result switch
    {
        IActionResult action => action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())),
        IResult r => r.ExecuteAsync(context),
        null => Task.CompletedTask,
        _ => throw new InvalidOperationException($"an HTTP function returned {result.GetType().Name}; return IActionResult"),
    };

    /// <summary>The API's own error body (ApiError), for what the host itself refuses.</summary>
    public static Task Error(HttpContext context, int status, string code, string message) =>
        ExecuteAsync(context, ApiError.Answer(status, code, message));

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(cts.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task Dispatch(HttpContext context, IReadOnlyDictionary<string, RequestDelegate> methods, string allow, ILogger log)
    {
        if (!methods.TryGetValue(context.Request.Method.ToUpperInvariant(), out var handler))
        {
            context.Response.Headers.Allow = allow;
            await Error(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", $"{context.Request.Method} is not allowed here; allowed: {allow}").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength > MaxRequestBytes)
        {
            await Error(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", "the request body is larger than 1 MiB").ConfigureAwait(false);
            return;
        }

        try
        {
            // Buffer the body so a function may read it twice, and so an oversized one fails here.
            context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxRequestBytes);
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
            context.Request.Body.Position = 0;
            await handler(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await Error(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "bad_request", e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            log.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await Error(context, StatusCodes.Status500InternalServerError, "internal", "internal error").ConfigureAwait(false);
        }
    }
}
