using System.Text.Json;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.Accounts.Receivers;

/// <summary>
/// Reads PUT …/receivers/me: <c>{ accept, escalation?, repeatMinutes? }</c>, the path read as a
/// monitor's escalation is (same limits, same dotted paths in errors); whether its channels are
/// the caller's own is <see cref="Receiving"/>'s check.
/// </summary>
public static class ReceiverAnswerInput
{
    public static ReceiverAnswer Parse(JsonElement body)
    {
        var f = JsonFields.Of(body, null).Strict(["accept", "escalation", "repeatMinutes"]);
        var answer = new ReceiverAnswer(f.Boolean("accept") ?? throw Refusal.Invalid("required", "accept"));
        if (f.Has("escalation"))
        {
            answer = answer with { SetsEscalation = true, Escalation = MonitorInput.Escalation(f, "escalation") };
        }

        if (f.Has("repeatMinutes"))
        {
            answer = answer with
            {
                SetsRepeat = true,
                RepeatMinutes = f.Value("repeatMinutes", required: false, nullable: true) is { } repeat
                    ? JsonFields.IntegerOf(repeat, 1, MonitorLimits.MaxRepeatMinutes, "repeatMinutes")
                    : null,
            };
        }

        return answer;
    }
}
