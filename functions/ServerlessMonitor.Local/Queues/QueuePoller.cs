using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Local.Hosting;

namespace ServerlessMonitor.Local.Queues;

/// <summary>
/// A queue trigger with the host's semantics: messages taken in batches, invisible while they
/// run, deleted on success; on failure visible again after host.json's visibilityTimeout, and
/// after maxDequeueCount tries moved to &lt;queue&gt;-poison. Polls back off to 2 s when idle.
/// </summary>
public sealed class QueuePoller(QueueClient queue, QueueClient poison, HostJson host, Func<string, CancellationToken, Task> handle, ILogger logger)
{
    private static readonly TimeSpan Running = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var idle = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(host.QueueBatchSize, Running, cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException)
            {
                logger.LogWarning("queue {Queue}: {Error}", queue.Name, e.Message);
                messages = [];
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (messages.Length == 0)
            {
                await Task.Delay(idle, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, MaxIdle.Ticks));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(100);
            await Task.WhenAll(messages.Select(m => ProcessAsync(m, cancellationToken))).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await handle(message.Body.ToString(), cancellationToken).ConfigureAwait(false);
            await DeleteAsync(message).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("queue {Queue}: message {Id} failed (try {Count} of {Max}): {Error}", queue.Name, message.MessageId, message.DequeueCount, host.MaxDequeueCount, e.Message);
            try
            {
                if (message.DequeueCount >= host.MaxDequeueCount)
                {
                    await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    await poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: host.QueueVisibilityTimeout, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException re)
            {
                logger.LogWarning("queue {Queue}: could not release message {Id}: {Error}", queue.Name, message.MessageId, re.Message);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the message becomes visible again and runs after the next start.
        }
    }

    private async Task DeleteAsync(QueueMessage message)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Gone already: its time-to-live ran out while it ran (a probe shard lives until its
            // cycle's deadline), or another consumer took it after its visibility ran out.
        }
    }
}
