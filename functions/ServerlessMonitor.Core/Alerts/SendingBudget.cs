using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// Keeps sending quota for alerts. ACS limits how many emails (and SMS) a resource sends per
/// hour, and past that refuses every request, alerts included. So each kind has an hourly budget
/// (SM_EMAIL_HOURLY_BUDGET, SM_SMS_HOURLY_BUDGET) of which confirmations may use a share
/// (SM_CONFIRMATION_SHARE); the rest is a reserve only alerts draw on. An alert is always let
/// through and counted, even past the budget: the budget is our estimate of the provider's
/// quota, and only the provider's answer (a 429, retried as safe) may hold an alert back.
/// The counts live in Table Storage per UTC hour, written under ETags, so every instance of
/// every region draws on the same budget.
/// </summary>
public sealed class SendingBudget(DeliveryStore store, MonitorConfig config, TimeProvider time, ILogger<SendingBudget> logger)
{
    private const int MaxWrites = 10;

    /// <summary>
    /// Counts one new message against its kind's budget: null when it may go, or how long until a
    /// refused confirmation may be tried again (the hour turning, or a moment when instances contend).
    /// </summary>
    public async Task<TimeSpan?> TakeAsync(ChannelKind kind, MessagePriority priority, CancellationToken cancellationToken)
    {
        var limit = LimitOf(kind);
        if (limit == 0)
        {
            return null;
        }

        for (var tries = 0; tries < MaxWrites; tries++)
        {
            var now = time.GetUtcNow();
            var hour = HourOf(now);
            var (use, etag) = await store.GetBudgetUseAsync(kind, hour, cancellationToken).ConfigureAwait(false);
            if (priority == MessagePriority.Confirmation && !ConfirmationFits(use, limit))
            {
                return hour.AddHours(1) - now;
            }

            if (await store.SaveBudgetUseAsync(kind, hour, use.Plus(priority), etag, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        if (priority == MessagePriority.Alert)
        {
            logger.LogWarning("alert {Kind} not counted against the sending budget: too much contention", kind);
            return null;
        }

        return TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// How long until a confirmation of this kind would be let through, without counting one: null
    /// when it fits now. A request asks before it stores anything, so being refused leaves nothing
    /// behind; the send itself still counts (and may, rarely, be refused when others took the last of the share meanwhile).
    /// </summary>
    public async Task<TimeSpan?> ConfirmationWaitAsync(ChannelKind kind, CancellationToken cancellationToken)
    {
        var limit = LimitOf(kind);
        if (limit == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var hour = HourOf(now);
        var (use, _) = await store.GetBudgetUseAsync(kind, hour, cancellationToken).ConfigureAwait(false);
        return ConfirmationFits(use, limit) ? null : hour.AddHours(1) - now;
    }

    /// <summary>The start of the UTC hour a budget row counts.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Confirmations stay within their share, and within what alerts left of the whole.</summary>
    private bool ConfirmationFits(BudgetUse use, int limit) =>
        use.Confirmations < limit * config.ConfirmationSharePercent / 100 && use.Total < limit;

    /// <summary>Webhooks go to the receivers' own servers: no provider quota to share.</summary>
    private int LimitOf(ChannelKind kind) => kind switch
    {
        ChannelKind.Email => config.EmailHourlyBudget,
        ChannelKind.Sms => config.SmsHourlyBudget,
        _ => 0,
    };
}
