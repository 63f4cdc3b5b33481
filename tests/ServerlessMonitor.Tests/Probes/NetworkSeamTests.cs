using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>The local runtime isolates a region by giving its probes <see cref="UnreachableProbeNetwork"/>.</summary>
public sealed class NetworkSeamTests
{
    public static TheoryData<ProbeType, string, string?> EveryType => new()
    {
        { ProbeType.Http, "http://127.0.0.1:{0}/", null },
        { ProbeType.Http, "http://web.example:{0}/", null },
        { ProbeType.Https, "https://localhost:{0}/", null },
        { ProbeType.Tcp, "127.0.0.1:{0}", null },
        { ProbeType.Ping, "example.com:{0}", null },
        { ProbeType.Dns, "example.com", null },
        { ProbeType.Dns, "example.com", "8.8.8.8" },
        { ProbeType.Ftp, "127.0.0.1:{0}", null },
        { ProbeType.Smtp, "localhost:{0}", null },
        { ProbeType.Pop3, "localhost:{0}", null },
        { ProbeType.Imap, "localhost:{0}", null },
        { ProbeType.Telnet, "127.0.0.1:{0}", null },
        { ProbeType.Ssh, "127.0.0.1:{0}", null },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public async Task An_isolated_region_fails_every_type_with_connect_ENETUNREACH(ProbeType type, string target, string? server)
    {
        // A live server proves the failure comes from the seam, not from nothing listening.
        await using var ftp = BannerServers.Ftp();
        var prober = new Prober(UnreachableProbeNetwork.Instance, Private, TimeProvider.System);
        var result = await prober.ProbeAsync(new ProbeSpec(type, string.Format(System.Globalization.CultureInfo.InvariantCulture, target, ftp.Port), new ProbeExpect { Server = server }));
        AssertPhaseOrder(result);
        AssertFailed(result, ErrorClass.Connect, "ENETUNREACH");
        Assert.True(result.Error!.IsLocalFault);
        Assert.Equal(0, ftp.Connections);
    }
}
