using System.Globalization;
using System.Text.Json;
using Azure.Core;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>
/// SMS through ACS: one <c>POST /sms</c> per message, with the attempt's request id and first-sent
/// time as the recipient's repeatability fields, so a retry of a send ACS did receive is not
/// sent twice. ACS answers 202 with a result per recipient; there is nothing to poll.
/// </summary>
public sealed class AcsSmsChannel(AcsClient client, string from) : IMessageChannel
{
    internal const string ApiVersion = "2021-03-07";

    public DeliveryTransport Transport => DeliveryTransport.Acs;

    public TimeSpan? RepeatabilityWindow => AcsClient.RepeatabilityWindow;

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(attempt);
        AcsAnswer answer;
        try
        {
            answer = await client.SendAsync(RequestMethod.Post, client.On($"/sms?api-version={ApiVersion}"), Body(message, attempt), [], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryFailure.FromException(e);
        }

        return answer.IsSuccess ? Outcome(answer) : AcsFailure.From(answer);
    }

    /// <summary>
    /// Delivery reports arrive only through Event Grid, which the app does not subscribe to;
    /// asking for them would only cost.
    /// </summary>
    private BinaryData Body(OutgoingMessage message, DeliveryAttempt attempt) => BinaryData.FromObjectAsJson(
        new AcsSmsSendRequest(
            from,
            [new AcsSmsRecipient(message.To, attempt.RequestId.ToString(), attempt.FirstSentAt.ToString("r", CultureInfo.InvariantCulture))],
            message.Text,
            new AcsSmsSendOptions(EnableDeliveryReport: false)),
        AcsClient.Json);

    /// <summary>
    /// ACS took the request; whether it took the recipient is in the recipient's result. Without
    /// one we cannot tell whether it went out.
    /// </summary>
    private static DeliveryOutcome Outcome(AcsAnswer answer)
    {
        AcsSmsSendResult? result;
        try
        {
            result = answer.Content.ToObjectFromJson<AcsSmsSendResponse>(AcsClient.Json)?.Value?.FirstOrDefault();
        }
        catch (JsonException)
        {
            result = null;
        }

        return result switch
        {
            null => new DeliveryOutcome.Failed(RetryKind.Uncertain, "ACS SMS answered without a result for the recipient", answer.Status),
            { Successful: true } => new DeliveryOutcome.Sent(result.MessageId),
            _ => DeliveryFailure.FromStatus(result.HttpStatusCode, result.ErrorMessage ?? "not sent"),
        };
    }
}
