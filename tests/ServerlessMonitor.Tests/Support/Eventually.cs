namespace ServerlessMonitor.Tests.Support;

/// <summary>Waits for a condition rather than for a fixed time: deterministic, and as fast as the machine allows.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    public static Task True(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        Get<object>(async () => await condition() ? new object() : null, timeout, what);

    public static Task True(Func<bool> condition, TimeSpan timeout, string what) =>
        True(() => Task.FromResult(condition()), timeout, what);
}
