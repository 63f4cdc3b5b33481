using System.Text.Json;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Storage;

/// <summary>A message of the delivery-retries queue.</summary>
public sealed record DeliveryRetryMessage(string DeliveryId)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The message's delivery id, or null when the text is not one of ours (or was damaged).</summary>
    public static string? Parse(string? text)
    {
        try
        {
            var message = text is null ? null : JsonSerializer.Deserialize<DeliveryRetryMessage>(text, Json);
            return DeliveryIds.IsValid(message?.DeliveryId) ? message!.DeliveryId : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
