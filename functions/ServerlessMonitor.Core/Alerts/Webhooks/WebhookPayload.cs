using System.Text.Json.Nodes;

namespace ServerlessMonitor.Core.Alerts.Webhooks;

/// <summary>The JSON a webhook receives: the message's data, then its subject and text (docs/WEBHOOKS.md).</summary>
public static class WebhookPayload
{
    public static JsonObject Of(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Data?.DeepClone().AsObject() ?? [];
        if (message.Subject is not null)
        {
            payload["subject"] = message.Subject;
        }

        payload["text"] = message.Text;
        return payload;
    }
}
