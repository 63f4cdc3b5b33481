namespace ServerlessMonitor.Core.Probes;

/// <summary>What to probe: a monitor's type, target, timeout and checks.</summary>
public sealed record ProbeSpec(ProbeType Type, string Target, ProbeExpect? Expect = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The budget of the whole probe, redirects and STARTTLS included (monitors: 1–30 s).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
