using Microsoft.DurableTask;

namespace ServerlessMonitor.Functions.Durable;

/// <summary>
/// How an orchestration takes its external events so that none is lost. The Durable Task SDK
/// hands an arriving event to the newest waiter of its name, keeps abandoned waiters underneath,
/// and buffers an event that finds no waiter until one asks. So:
/// <list type="bullet">
/// <item>a waiter is made only to wait, and kept when a deadline wins, for the next wait — a
/// fresh waiter per turn would leave stale ones behind, and an event that arrives while the
/// orchestrator awaits an activity would complete a stale one and never be seen;</item>
/// <item>between an event and the next wait there is no waiter, so what arrives meanwhile is
/// buffered by the SDK and returned, in order, by the next wait;</item>
/// <item>an execution may continue as new only while no waiter is pending
/// (<see cref="IsWaiting"/>): the SDK then carries every buffered event into the next execution
/// (<c>preserveUnprocessedEvents</c>), whereas an event that completed a pending waiter of the
/// ending execution would go with it.</item>
/// </list>
/// </summary>
public sealed class EventInbox<T>(TaskOrchestrationContext context, string eventName)
    where T : class
{
    private Task<T>? waiter;

    /// <summary>True while a wait that lost to a deadline still holds a waiter.</summary>
    public bool IsWaiting => waiter is { IsCompleted: false };

    /// <summary>
    /// The next event, or null when <paramref name="deadlineUtc"/> passes first (null: no
    /// deadline), never before it by the orchestration's clock. A timer that loses is cancelled;
    /// a waiter that loses stays for the next call.
    /// </summary>
    public async Task<T?> NextAsync(DateTime? deadlineUtc)
    {
        waiter ??= context.WaitForExternalEvent<T>(eventName);
        while (!waiter.IsCompleted && deadlineUtc is { } deadline)
        {
            using var timerCancel = new CancellationTokenSource();
            var timer = context.CreateTimer(deadline, timerCancel.Token);
            if (await Task.WhenAny(waiter, timer) == timer)
            {
                if (context.CurrentUtcDateTime >= deadline)
                {
                    return null;
                }

                // Early: Azure Storage queues delay a message by whole seconds, so DTFx's timer can
                // fire up to a second before its time. What is due then is not due yet: wait out the rest.
                continue;
            }

            // Cancel, not CancelAsync: an orchestrator must not await anything but the context's
            // own tasks, or it resumes off the replay's scheduler and replays differently.
            timerCancel.Cancel();
        }

        var value = await waiter;
        waiter = null;
        return value;
    }
}
