namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>A request the fake received, and how it answered.</summary>
/// <param name="Target">The path and query exactly as sent.</param>
/// <param name="Problem">Why the fake refused it (signature, shape, repeatability), when it did.</param>
public sealed record RecordedRequest(string Method, string Target, int Status, string? Problem, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
