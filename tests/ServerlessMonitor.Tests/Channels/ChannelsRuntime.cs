using ServerlessMonitor.Tests.Accounts;

namespace ServerlessMonitor.Tests.Channels;

/// <summary>
/// The accounts runtime with one account the tests of a class share: sign-ups from one client
/// are limited (20 an hour), so tests make an account of their own only when they need one.
/// </summary>
public sealed class ChannelsRuntime : IAsyncLifetime
{
    public AccountsRuntime Runtime { get; } = new();

    public string AccountId { get; private set; } = null!;

    public string ApiKey { get; private set; } = null!;

    public string Email { get; } = $"owner-{Guid.NewGuid():N}@example.com";

    public async Task InitializeAsync()
    {
        await Runtime.InitializeAsync();
        (AccountId, ApiKey) = await Runtime.NewAccount(Email);
    }

    public Task DisposeAsync() => Runtime.DisposeAsync();
}
