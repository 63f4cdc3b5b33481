using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>POST /api/dev/regions/&lt;name&gt;/isolated cuts that region's probes off the network, and only that region's.</summary>
public sealed class RegionIsolationTests
{
    [Fact]
    public async Task An_isolated_regions_probes_fail_to_connect_while_the_others_still_reach_the_target()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var target = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"iso{Guid.NewGuid():N}"[..20], new() { ["SM_REGIONS"] = "east,west" }, withSamples: false));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        Task<ProbeResult> Probe(string region) => runtime.ServicesOf(region).GetRequiredService<Prober>().ProbeAsync(new ProbeSpec(ProbeType.Tcp, target, null));

        Assert.True((await Probe("east")).Ok);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("dev/regions/east/isolated", null)).StatusCode);

        var cut = await Probe("east");
        Assert.False(cut.Ok);
        Assert.Equal(ErrorClass.Connect, cut.Error!.Class);
        Assert.Equal("ENETUNREACH", cut.Error.Code);
        Assert.True((await Probe("west")).Ok);

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("dev/regions/east/up", null)).StatusCode);
        Assert.True((await Probe("east")).Ok);
    }
}
