using System.Globalization;
using Azure.Core;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>
/// Email through ACS: <c>POST /emails:send</c>, answered 202 with an operation, then
/// <c>GET /emails/operations/{id}</c> until it ends or the poll time is up. The Operation-Id and
/// the repeatability headers carry the attempt's request id, so a retry of a send that ACS did
/// receive is recognised and not sent twice.
/// </summary>
public sealed class AcsEmailChannel(AcsClient client, string senderAddress) : IMessageChannel
{
    /// <summary>The GA version the TypeScript SDK spoke; nothing we send needs a newer one.</summary>
    internal const string ApiVersion = "2023-03-31";

    /// <summary>How long to follow an accepted send; past it, accepted counts as sent.</summary>
    internal static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The wait between polls when ACS gives no Retry-After.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public DeliveryTransport Transport => DeliveryTransport.Acs;

    public TimeSpan? RepeatabilityWindow => AcsClient.RepeatabilityWindow;

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(attempt);
        AcsAnswer answer;
        try
        {
            answer = await client.SendAsync(RequestMethod.Post, client.On($"/emails:send?api-version={ApiVersion}"), Body(message), Headers(attempt), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryFailure.FromException(e);
        }

        if (!answer.IsSuccess)
        {
            return AcsFailure.From(answer);
        }

        var sent = new DeliveryOutcome.Sent(attempt.RequestId.ToString());
        return Ended(Read(answer), sent) ?? await FollowAsync(OperationUri(answer, attempt), answer.RetryAfter, sent, cancellationToken).ConfigureAwait(false);
    }

    private BinaryData Body(OutgoingMessage message) => BinaryData.FromObjectAsJson(
        new AcsEmailMessage(
            senderAddress,
            new AcsEmailContent(message.Subject ?? "(no subject)", message.Text, message.Html),
            new AcsEmailRecipients([new AcsEmailAddress(message.To)])),
        AcsClient.Json);

    private static Dictionary<string, string> Headers(DeliveryAttempt attempt) => new()
    {
        ["Operation-Id"] = attempt.RequestId.ToString(),
        ["Repeatability-Request-Id"] = attempt.RequestId.ToString(),
        ["Repeatability-First-Sent"] = attempt.FirstSentAt.ToString("r", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Polls until the operation ends. ACS has the message from the 202 on, so a poll that fails,
    /// the poll time running out, or the caller giving up all leave it counted as sent.
    /// </summary>
    private async Task<DeliveryOutcome> FollowAsync(Uri operation, TimeSpan? wait, DeliveryOutcome.Sent sent, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(PollTimeout, client.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (true)
            {
                await Task.Delay(wait ?? PollInterval, client.Time, linked.Token).ConfigureAwait(false);
                var answer = await client.SendAsync(RequestMethod.Get, operation, null, [], linked.Token).ConfigureAwait(false);
                if (!answer.IsSuccess)
                {
                    return sent;
                }

                if (Ended(Read(answer), sent) is { } outcome)
                {
                    return outcome;
                }

                wait = answer.RetryAfter;
            }
        }
        catch (Exception)
        {
            return sent;
        }
    }

    /// <summary>The outcome of an operation that has ended; null while it runs.</summary>
    private static DeliveryOutcome? Ended(AcsEmailSendResult? result, DeliveryOutcome.Sent sent) => result?.Status switch
    {
        "Succeeded" => sent,
        "Failed" or "Canceled" => new DeliveryOutcome.Failed(RetryKind.Never, $"ACS email {result.Status.ToLowerInvariant()}: {result.Error?.Message ?? "no reason given"}"),
        _ => null,
    };

    private static AcsEmailSendResult? Read(AcsAnswer answer)
    {
        try
        {
            return answer.Content.ToObjectFromJson<AcsEmailSendResult>(AcsClient.Json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where to poll: the Operation-Location ACS gave, if it is on this resource (a signed request
    /// or a token goes nowhere else), or the documented path for our operation id.
    /// </summary>
    private Uri OperationUri(AcsAnswer answer, DeliveryAttempt attempt) =>
        Uri.TryCreate(answer.OperationLocation, UriKind.Absolute, out var location)
        && Uri.Compare(location, client.Endpoint, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
            ? location
            : client.On($"/emails/operations/{attempt.RequestId}?api-version={ApiVersion}");
}
