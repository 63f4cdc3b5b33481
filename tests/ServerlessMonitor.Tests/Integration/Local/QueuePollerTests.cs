using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Local.Hosting;
using ServerlessMonitor.Local.Queues;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>The local runtime's queue trigger on Azurite, with several consumers on one queue, as instances scaled out.</summary>
public sealed class QueuePollerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly HostJson Host = new("api", 16, 5, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Three_consumers_share_a_queue_each_message_handled_once_and_one_gone_before_its_delete_stops_nothing()
    {
        var queue = new QueueClient(azurite.ConnectionString, $"poller{Guid.NewGuid():N}"[..20]);
        var poison = new QueueClient(azurite.ConnectionString, $"{queue.Name}-poison");
        await queue.CreateAsync();
        var handled = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var stopping = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pollers = Enumerable.Range(0, 3).Select(_ => new QueuePoller(queue, poison, Host, async (message, ct) =>
        {
            if (message == "vanishing")
            {
                // Gone while it runs (as when its time-to-live runs out, or another consumer took it after its visibility
                // ran out), and ending while the consumers stop: deleting it then finds nothing, which is no failure.
                await queue.ClearMessagesAsync(CancellationToken.None);
                started.TrySetResult();
                await Eventually.True(() => stopping.IsCancellationRequested, Patience, "the consumers to stop");
            }

            handled.AddOrUpdate(message, 1, (_, c) => c + 1);
        }, NullLogger.Instance).RunAsync(stopping.Token)).ToList();

        await queue.SendMessageAsync("vanishing");
        await started.Task.WaitAsync(Patience);
        var messages = Enumerable.Range(0, 60).Select(i => $"m{i}").ToList();
        await Task.WhenAll(messages.Select(m => queue.SendMessageAsync(m)));
        await Eventually.True(() => messages.All(handled.ContainsKey), Patience, "every message handled");
        await stopping.CancelAsync();
        await Task.WhenAll(pollers);

        Assert.Equal(1, handled["vanishing"]);
        Assert.Equal(61, handled.Count);
        Assert.All(handled, h => Assert.Equal(1, h.Value));
        Assert.False(await poison.ExistsAsync());
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
    }
}
