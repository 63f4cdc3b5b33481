using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Receivers;

/// <summary>
/// The invitee's side of receivers: the invitations addressed to its account's address, its
/// answer (accept or refuse, at any time again), its own path over its own channels, and
/// leaving. An invitation is found by the account's address, so an account sees exactly the
/// invitations made to it.
/// </summary>
public sealed class Receiving(AccountStore accounts, MonitorStore monitors, OwnChannels ownChannels, TimeProvider time)
{
    /// <summary>The invitations to this account's address and its answers, oldest invitation first.</summary>
    public async Task<IReadOnlyList<ReceivingView>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var emailHash = await EmailHashAsync(accountId, cancellationToken).ConfigureAwait(false);
        var views = new List<ReceivingView>();
        foreach (var monitorId in await monitors.ListInvitedIdsAsync(emailHash, cancellationToken).ConfigureAwait(false))
        {
            var monitor = await monitors.GetAsync(monitorId, cancellationToken).ConfigureAwait(false);
            var receiver = monitor is null ? null : await monitors.GetReceiverAsync(monitorId, emailHash, cancellationToken).ConfigureAwait(false);

            // Withdrawn or deleted meanwhile: a pointer to nothing, skipped.
            if (monitor is not null && receiver is not null)
            {
                views.Add(await ViewAsync(monitor, receiver, cancellationToken).ConfigureAwait(false));
            }
        }

        return [.. views.OrderBy(v => v.InvitedAt).ThenBy(v => v.MonitorId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Accepts or refuses the invitation to this account's address, and sets its path. 404 when
    /// there is no such invitation; 400 when the path names a channel that is not the account's own.
    /// </summary>
    public async Task<ReceivingView> AnswerAsync(string accountId, string monitorId, ReceiverAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var emailHash = await EmailHashAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (answer is { SetsEscalation: true, Escalation: { } steps })
        {
            await CheckOwnAsync(accountId, steps, cancellationToken).ConfigureAwait(false);
        }

        var status = answer.Accept ? ReceiverStatus.Accepted : ReceiverStatus.Refused;
        for (var tries = 0; tries < 5; tries++)
        {
            var monitor = await monitors.GetAsync(monitorId, cancellationToken).ConfigureAwait(false);
            var receiver = monitor is null ? null : await monitors.GetReceiverAsync(monitorId, emailHash, cancellationToken).ConfigureAwait(false);
            if (monitor is null || receiver is null)
            {
                throw Refusal.NotFound("invitation for your address on this monitor");
            }

            var answered = receiver with
            {
                Status = status,
                AccountId = accountId,
                RespondedAt = receiver.Status == status && receiver.RespondedAt is { } at ? at : time.GetUtcNow(),
                Escalation = answer.SetsEscalation ? answer.Escalation : receiver.Escalation,
                RepeatMinutes = answer.SetsRepeat ? answer.RepeatMinutes : receiver.RepeatMinutes,
            };
            if (await monitors.UpdateReceiverAsync(answered, cancellationToken).ConfigureAwait(false))
            {
                return await ViewAsync(monitor, answered, cancellationToken).ConfigureAwait(false);
            }
        }

        throw Refusal.Busy("the invitation kept changing; try again");
    }

    /// <summary>Stops receiving and drops the invitation (also open to an invitee that never answered). 404 without one.</summary>
    public async Task LeaveAsync(string accountId, string monitorId, CancellationToken cancellationToken)
    {
        var emailHash = await EmailHashAsync(accountId, cancellationToken).ConfigureAwait(false);
        var receiver = await monitors.GetReceiverAsync(monitorId, emailHash, cancellationToken).ConfigureAwait(false)
            ?? throw Refusal.NotFound("invitation for your address on this monitor");
        await monitors.DeleteReceiverAsync(receiver, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> EmailHashAsync(string accountId, CancellationToken cancellationToken)
    {
        var profile = await accounts.GetProfileAsync(accountId, cancellationToken).ConfigureAwait(false)
            ?? throw Refusal.NotFound("account");
        return Ids.Sha256Hex(profile.Email);
    }

    private async Task CheckOwnAsync(string accountId, IReadOnlyList<EscalationStep> steps, CancellationToken cancellationToken)
    {
        var named = steps.SelectMany(s => s.Channels).Distinct(StringComparer.Ordinal).ToList();
        var foreign = await ownChannels.NotOwnedAsync(accountId, named, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < steps.Count; i++)
        {
            for (var j = 0; j < steps[i].Channels.Count; j++)
            {
                if (foreign.Contains(steps[i].Channels[j]))
                {
                    throw Refusal.Invalid($"{steps[i].Channels[j]} is not one of your channels", $"escalation.{i}.channels.{j}");
                }
            }
        }
    }

    private async Task<ReceivingView> ViewAsync(MonitorRecord monitor, Receiver receiver, CancellationToken cancellationToken)
    {
        var owner = await accounts.GetProfileAsync(monitor.OwnerId, cancellationToken).ConfigureAwait(false);
        return new ReceivingView(monitor.Id, monitor.Definition.Name, owner?.Email ?? string.Empty, receiver.Status, receiver.Escalation, receiver.RepeatMinutes, receiver.InvitedAt, receiver.RespondedAt);
    }
}
