using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;

namespace ServerlessMonitor.Tests.Receivers;

/// <summary>
/// The accounts runtime with a monitor owner the tests share, and a way to make monitors
/// (stored as the monitor routes store them; paused, so no cycle probes them).
/// </summary>
public sealed class ReceiversRuntime : IAsyncLifetime
{
    public AccountsRuntime Runtime { get; } = new();

    public string OwnerId { get; private set; } = null!;

    public string OwnerKey { get; private set; } = null!;

    public string OwnerEmail { get; } = $"owner-{Guid.NewGuid():N}@example.com";

    public async Task InitializeAsync()
    {
        await Runtime.InitializeAsync();
        (OwnerId, OwnerKey) = await Runtime.NewAccount(OwnerEmail);
    }

    public Task DisposeAsync() => Runtime.DisposeAsync();

    public async Task<string> NewMonitor(string name, string? ownerId = null, bool isPublic = false)
    {
        var store = Runtime.Runtime.ServicesOf(Runtime.Runtime.Config.Region).GetRequiredService<MonitorStore>();
        var id = Ids.New(Ids.Monitor);
        var now = DateTimeOffset.UtcNow;
        var definition = new MonitorDefinition(name, ProbeType.Https, "https://example.com/", 5, 10, ProbeExpect.None, 2, null, 15, 1, isPublic, null, true);
        Assert.True(await store.CreateAsync(new MonitorRecord(id, ownerId ?? OwnerId, definition, MonitorState.Unknown, null, now, now), CancellationToken.None));
        return id;
    }
}
