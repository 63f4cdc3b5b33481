namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>A request the fake keeps waiting for its answer: a slow ACS, on the test's terms.</summary>
public sealed class HeldRequest
{
    private readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal HeldRequest(string method) => Method = method;

    public string Method { get; }

    /// <summary>Completes when the held request has reached the fake.</summary>
    public Task Arrived => arrived.Task;

    /// <summary>Lets the fake answer it as usual.</summary>
    public void Release() => released.TrySetResult();

    internal async Task WaitAsync(CancellationToken aborted)
    {
        arrived.TrySetResult();
        await released.Task.WaitAsync(aborted);
    }
}
