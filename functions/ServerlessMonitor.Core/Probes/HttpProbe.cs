using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// HTTP and HTTPS: one GET per hop over a fresh connection (Connection: close), redirects
/// followed up to a limit with every hop resolved and checked again by the address policy.
/// Status 100–399 passes unless <c>expect.status</c> lists the accepted codes; keyword checks
/// read at most the first MiB of the body. Milestones describe the last hop; total covers all.
/// </summary>
/// <remarks>
/// HttpClient's SocketsHttpHandler speaks HTTP, one handler per hop and disposed with it, so no
/// connection outlives the hop. The probe keeps the network to itself: the handler's
/// ConnectCallback connects to the address the probe resolved and checked, its
/// PlaintextStreamFilter marks the end of the TLS handshake, and a <see cref="TimingStream"/>
/// marks the first byte as it arrives.
/// </remarks>
internal sealed class HttpProbe(ProbeTarget.Url target, ProbeExpect expect) : IProtocolProbe
{
    private const int MaxBodyBytes = 1024 * 1024;
    private const int DefaultMaxRedirects = 5;
    private static readonly HashSet<int> RedirectStatuses = [301, 302, 303, 307, 308];
    private static readonly ProductInfoHeaderValue Product = new("ServerlessMonitor", AppInfo.Version);
    private static readonly ProductInfoHeaderValue Comment = new("(uptime probe)");

    public async Task RunAsync(ProbeRun run)
    {
        var maxRedirects = expect.MaxRedirects ?? DefaultMaxRedirects;
        var hop = target;
        for (var redirects = 0; ; redirects++)
        {
            run.StartHop();
            var check = hop.Uri.Scheme == Uri.UriSchemeHttps
                ? run.NewCertificateCheck(hop.Host, expect.CertificateWarningDays ?? CertificateCheck.DefaultWarningDays)
                : null;
            using var invoker = new HttpMessageInvoker(await HandlerAsync(run, hop, redirects, check).ConfigureAwait(false), disposeHandler: true);
            using var response = await SendAsync(run, invoker, hop, redirects, check).ConfigureAwait(false);
            run.Status = (int)response.StatusCode;
            if (response.Headers.TryGetValues("Server", out var server))
            {
                run.Server = Excerpt.Of(string.Join(' ', server), 200);
            }

            if (maxRedirects > 0 && RedirectStatuses.Contains(run.Status.Value) && response.Headers.Location is { } location)
            {
                if (redirects >= maxRedirects)
                {
                    throw new ProbeFailure(ErrorClass.Protocol, $"more than {maxRedirects} redirects (the last to {Excerpt.Of(location.OriginalString)})");
                }

                hop = NextHop(hop.Uri, location);
                continue;
            }

            CheckStatus(response);
            await CheckBodyAsync(run, response).ConfigureAwait(false);
            return;
        }
    }

    /// <summary>Resolves and checks the hop's host first, so the handler can only connect where the policy allows.</summary>
    private static async Task<SocketsHttpHandler> HandlerAsync(ProbeRun run, ProbeTarget.Url hop, int redirects, CertificateCheck? check)
    {
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await run.ResolveAsync(hop.Host).ConfigureAwait(false);
        }
        catch (ProbeFailure failure) when (redirects > 0)
        {
            throw Redirected(failure, redirects, hop);
        }

        return new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 1,
            SslOptions = check?.ClientOptions() ?? new(),
            ConnectCallback = async (_, _) =>
            {
                var socket = await run.ConnectAsync(addresses, hop.Port).ConfigureAwait(false);
                if (check is not null)
                {
                    run.Stage = ProbeStage.Tls;
                    run.Activity = "in the TLS handshake";
                }

                return new NetworkStream(socket, ownsSocket: true);
            },
            PlaintextStreamFilter = (context, _) =>
            {
                if (check is not null)
                {
                    run.TakeCertificate(check);
                    run.MarkTls();
                }

                run.Stage = ProbeStage.Exchange;
                run.Activity = $"waiting for the response from {hop.Uri.Authority}";
                return ValueTask.FromResult<Stream>(new TimingStream(context.PlaintextStream, run));
            },
        };
    }

    private static async Task<HttpResponseMessage> SendAsync(ProbeRun run, HttpMessageInvoker invoker, ProbeTarget.Url hop, int redirects, CertificateCheck? check)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, hop.Uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.Add(Product);
        request.Headers.UserAgent.Add(Comment);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        try
        {
            return await invoker.SendAsync(request, run.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or SocketException)
        {
            if (check?.Certificate is not null)
            {
                run.TakeCertificate(check);
            }

            var failure = Failure(run, error, check);
            throw redirects > 0 ? Redirected(failure, redirects, hop) : failure;
        }
    }

    private static ProbeFailure Failure(ProbeRun run, Exception error, CertificateCheck? check)
    {
        if (ExceptionChain.Find<ProbeFailure>(error) is { } own)
        {
            return own;
        }

        if (check?.Failure is { } refused)
        {
            return refused;
        }

        if (run.TimedOut)
        {
            return run.TimeoutFailure();
        }

        return (error as HttpRequestException)?.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => new ProbeFailure(ErrorClass.Tls, $"TLS handshake failed: {ExceptionChain.Innermost(error).Message}"),
            HttpRequestError.ResponseEnded => new ProbeFailure(ErrorClass.Protocol, "the server closed the connection before answering"),
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError =>
                new ProbeFailure(ErrorClass.Protocol, $"invalid HTTP response: {ExceptionChain.Innermost(error).Message}"),
            _ => run.Classify(error),
        };
    }

    /// <summary>A failure of a later hop says where the redirects led, or "blocked" would be a riddle.</summary>
    private static ProbeFailure Redirected(ProbeFailure failure, int redirects, ProbeTarget.Url hop)
    {
        var hops = redirects == 1 ? "a redirect" : $"{redirects} redirects";
        return new ProbeFailure(failure.Class, $"after {hops} to {hop.Uri.AbsoluteUri}: {failure.Message}", failure.Code);
    }

    private static ProbeTarget.Url NextHop(Uri current, Uri location)
    {
        var absolute = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (absolute.Scheme is not ("http" or "https"))
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"redirect to unsupported {absolute.Scheme}: URL");
        }

        var cleaned = new UriBuilder(absolute) { UserName = string.Empty, Password = string.Empty }.Uri;
        var type = cleaned.Scheme == Uri.UriSchemeHttps ? ProbeType.Https : ProbeType.Http;
        return ProbeTarget.TryParse(type, cleaned.AbsoluteUri, out var next, out var error) && next is ProbeTarget.Url url
            ? url
            : throw new ProbeFailure(ErrorClass.Protocol, $"redirect to an invalid URL: {error ?? Excerpt.Of(location.OriginalString)}");
    }

    private void CheckStatus(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var accepted = expect.Status is { } list ? list.Contains(status) : status is >= 100 and < 400;
        if (accepted)
        {
            return;
        }

        var reason = string.IsNullOrEmpty(response.ReasonPhrase) ? "" : $" {response.ReasonPhrase}";
        var wanted = expect.Status is { } codes ? $" (expected {string.Join(", ", codes)})" : "";
        throw new ProbeFailure(ErrorClass.Status, $"HTTP {status}{reason}{wanted}");
    }

    /// <summary>
    /// Reads the body (up to 1 MiB) even without a keyword: a server that closes in the middle
    /// of its body fails the probe. Only a text check keeps what it read.
    /// </summary>
    private async Task CheckBodyAsync(ProbeRun run, HttpResponseMessage response)
    {
        run.Activity = "reading the response body";
        var keep = expect.Keyword is not null || expect.Absent is not null ? new MemoryStream() : null;
        var chunk = new byte[16 * 1024];
        var size = 0;
        var truncated = false;
        await using var stream = await response.Content.ReadAsStreamAsync(run.Token).ConfigureAwait(false);
        try
        {
            while (!truncated)
            {
                var read = await stream.ReadAsync(chunk, run.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var wanted = Math.Min(read, MaxBodyBytes - size);
                keep?.Write(chunk, 0, wanted);
                size += wanted;
                truncated = wanted < read || (size == MaxBodyBytes && await stream.ReadAsync(chunk.AsMemory(0, 1), run.Token).ConfigureAwait(false) > 0);
            }
        }
        catch (HttpIOException error) when (error.HttpRequestError == HttpRequestError.ResponseEnded)
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"the server closed the connection after {size} bytes of the body");
        }

        if (keep is null)
        {
            return;
        }

        var text = Encoding.UTF8.GetString(keep.GetBuffer(), 0, (int)keep.Length);
        var where = truncated ? "the first 1 MiB of the body" : "the body";
        if (expect.Keyword is { } keyword && !text.Contains(keyword, StringComparison.Ordinal))
        {
            throw new ProbeFailure(ErrorClass.Content, $"{where} does not contain \"{keyword}\"");
        }

        if (expect.Absent is { } absent && text.Contains(absent, StringComparison.Ordinal))
        {
            throw new ProbeFailure(ErrorClass.Content, $"{where} contains \"{absent}\"");
        }
    }
}
