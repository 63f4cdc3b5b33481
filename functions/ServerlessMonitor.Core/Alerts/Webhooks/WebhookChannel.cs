using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Alerts.Webhooks;

/// <summary>
/// Webhooks: one signed JSON POST to the channel's URL per try (docs/WEBHOOKS.md). The URL is the
/// user's, so the SSRF policy applies at every send, not only when the channel was added: the
/// name is resolved here, every address is checked with <see cref="AddressPolicy"/>, and the
/// connection goes only to a checked address; redirects are not followed (the next hop would be
/// unchecked), so a 3xx is a permanent failure. Every try of a message carries the same
/// x-sm-delivery (the sender keeps the request id, since there is no repeatability window here),
/// so a receiver drops repeats of uncertain tries itself.
/// </summary>
/// <param name="secrets">Where the channel's signing secret is read, at send time: a channel removed since gets nothing.</param>
public sealed class WebhookChannel(bool allowPrivateTargets, IWebhookSecretSource secrets, TimeProvider time) : IMessageChannel
{
    /// <summary>A receiver answers within this, or the try counts as uncertain.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const int MaxErrorChars = 200;
    private static readonly ProductInfoHeaderValue Product = new("ServerlessMonitor-Webhook", AppInfo.Version);

    public DeliveryTransport Transport => DeliveryTransport.Webhook;

    public TimeSpan? RepeatabilityWindow => null;

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(attempt);
        if (message.Destination is not { } destination)
        {
            return new DeliveryOutcome.Failed(RetryKind.Never, "not sent: a webhook message names no channel, so it cannot be signed");
        }

        if (await secrets.GetSecretAsync(destination.AccountId, destination.ChannelId, cancellationToken).ConfigureAwait(false) is not { } secret)
        {
            return new DeliveryOutcome.Failed(RetryKind.Never, "not sent: the channel was removed");
        }

        if (!Uri.TryCreate(message.To, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.UserInfo.Length > 0)
        {
            return new DeliveryOutcome.Failed(RetryKind.Never, "not sent: the address is not an http(s) URL without credentials");
        }

        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await AllowedAddressesAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new DeliveryOutcome.Failed(RetryKind.Safe, $"not sent: cannot resolve {url.Host}: {e.Message}");
        }
        catch (BlockedAddressException e)
        {
            return new DeliveryOutcome.Failed(RetryKind.Never, $"not sent: {e.Message}");
        }

        return await PostAsync(url, addresses, Body(message), secret, attempt, cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Body(OutgoingMessage message) => Encoding.UTF8.GetBytes(WebhookPayload.Of(message).ToJsonString());

    private async Task<IReadOnlyList<IPAddress>> AllowedAddressesAsync(Uri url, CancellationToken cancellationToken)
    {
        IReadOnlyList<IPAddress> resolved = url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? [IPAddress.Parse(url.Host.Trim('[', ']'))]
            : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
        var allowed = resolved.Where(a => AddressPolicy.IsAllowed(a, allowPrivateTargets)).ToList();
        if (allowed.Count == 0)
        {
            var first = resolved.FirstOrDefault() ?? throw new SocketException((int)SocketError.HostNotFound);
            throw new BlockedAddressException($"{url.Host} is {first}, a {AddressPolicy.BlockedReason(first, allowPrivateTargets)} address that webhooks may not reach");
        }

        return allowed;
    }

    private async Task<DeliveryOutcome> PostAsync(Uri url, IReadOnlyList<IPAddress> addresses, byte[] body, string secret, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        using var invoker = new HttpMessageInvoker(Handler(addresses, url.Port), disposeHandler: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.Add(Product);
        request.Headers.Add("x-sm-delivery", attempt.RequestId.ToString());
        request.Headers.Add("x-sm-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("x-sm-signature", WebhookSignature.Header(secret, timestamp, body));

        using var deadline = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await invoker.SendAsync(request, linked.Token).ConfigureAwait(false);
            return await OutcomeAsync(response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome.Failed(RetryKind.Uncertain, $"timed out: {url.Host} did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return DeliveryFailure.FromException(e);
        }
    }

    /// <summary>Connects only to the addresses checked above, the first that accepts.</summary>
    private static SocketsHttpHandler Handler(IReadOnlyList<IPAddress> addresses, int port) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = async (_, cancellationToken) =>
        {
            SocketException? failure = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    failure = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw failure!;
        },
    };

    /// <summary>
    /// 2xx sent. 408 and 429: the receiver did not take it, safe to repeat. 5xx: it may have acted
    /// before failing, uncertain (it dedupes). Any other 4xx will not change by asking again, and
    /// a 3xx points somewhere this request may not follow.
    /// </summary>
    private async Task<DeliveryOutcome> OutcomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return new DeliveryOutcome.Sent(null);
        }

        if (status is >= 300 and < 400)
        {
            return new DeliveryOutcome.Failed(RetryKind.Never, $"HTTP {status}: redirects are not followed; use the final URL", status);
        }

        var text = await ExcerptAsync(response, cancellationToken).ConfigureAwait(false);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? RetryAfterHeader.Parse(values.FirstOrDefault(), time.GetUtcNow()) : null;
        var retry = status switch
        {
            408 or 429 => RetryKind.Safe,
            >= 500 => RetryKind.Uncertain,
            _ => RetryKind.Never,
        };
        return new DeliveryOutcome.Failed(retry, $"HTTP {status}: {text}", status, retryAfter);
    }

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // A hostile receiver may answer with an endless body: read only the start.
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var _ = stream.ConfigureAwait(false);
            var buffer = new byte[MaxErrorChars * 4];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length == 0 ? response.ReasonPhrase ?? "no body" : text[..Math.Min(text.Length, MaxErrorChars)];
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return response.ReasonPhrase ?? "no body";
        }
    }

    private sealed class BlockedAddressException(string message) : Exception(message);
}
