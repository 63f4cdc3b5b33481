using System.Net;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>A prober as the local runtime would build one, trusting the test CA, and the checks every probe test makes.</summary>
internal static class ProbeHarness
{
    public static ProbeOptions Private { get; } = new() { AllowPrivateTargets = true, ExtraTrustedRoots = TestCertificates.Instance.Roots };

    public static ProbeOptions Strict { get; } = new() { AllowPrivateTargets = false, ExtraTrustedRoots = TestCertificates.Instance.Roots };

    public static Prober Prober(ProbeOptions? options = null, IPEndPoint? nameServer = null) =>
        new(Network(nameServer), options ?? Private, TimeProvider.System);

    public static IProbeNetwork Network(IPEndPoint? nameServer = null) =>
        new ProbeNetwork(nameServer is null ? null : new ProbeResolverOptions { NameServers = [nameServer] });

    public static async Task<ProbeResult> ProbeAsync(ProbeType type, string target, ProbeExpect? expect = null, int timeoutMs = 5000, ProbeOptions? options = null, IPEndPoint? nameServer = null)
    {
        var result = await Prober(options, nameServer).ProbeAsync(new ProbeSpec(type, target, expect) { Timeout = TimeSpan.FromMilliseconds(timeoutMs) });
        AssertPhaseOrder(result);
        return result;
    }

    /// <summary>dns ≤ connect ≤ tls ≤ firstByte ≤ total over the milestones reached, all from the probe's start.</summary>
    public static void AssertPhaseOrder(ProbeResult result)
    {
        var reached = result.Phases.Reached().ToList();
        Assert.All(reached, value => Assert.True(value >= 0, $"negative phase in {result.Phases}"));
        for (var i = 1; i < reached.Count; i++)
        {
            Assert.True(reached[i - 1] <= reached[i], $"phases out of order: {result.Phases}");
        }
    }

    public static void AssertFailed(ProbeResult result, ErrorClass errorClass, string? code = null)
    {
        Assert.False(result.Ok, $"expected a {errorClass} failure, got ok");
        Assert.NotNull(result.Error);
        Assert.True(errorClass == result.Error!.Class, $"expected {errorClass}, got {result.Error.Class}: {result.Error.Message} [{result.Error.Code}]");
        if (code is not null)
        {
            Assert.Equal(code, result.Error.Code);
        }
    }

    public static void AssertOk(ProbeResult result) =>
        Assert.True(result.Ok, $"expected ok, got {result.Error?.Class}: {result.Error?.Message} [{result.Error?.Code}]");

    /// <summary>Waits for a condition another party brings about (a server receiving QUIT), never for a fixed time.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, Func<string>? state = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.False(limit.IsCancellationRequested, $"timed out waiting for {what}{(state is null ? "" : $" ({state()})")}");
            await Task.Delay(10);
        }
    }
}
