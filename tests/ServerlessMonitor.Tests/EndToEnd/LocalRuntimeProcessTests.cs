using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using ServerlessMonitor.Local.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// `dotnet run --project functions/ServerlessMonitor.Local` as a user runs it: from a folder with
/// no .data, answering, stopping cleanly on Ctrl-C, and never leaving Azurite behind, even when
/// the runtime itself is killed.
/// </summary>
public sealed class LocalRuntimeProcessTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "sm-tests", $"process-{Guid.NewGuid():N}");

    public LocalRuntimeProcessTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task It_starts_without_a_data_folder_answers_and_stops_cleanly_on_ctrl_c_within_ten_seconds()
    {
        Assert.False(Directory.Exists(Path.Combine(folder, ".data")));
        await using var runtime = await LocalRuntimeProcess.StartAsync(folder, ("SM_REGIONS", "eu,us,asia"));
        using (var http = new HttpClient { BaseAddress = runtime.ApiUrl })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
        }

        Assert.Contains("regions: eu (primary), us, asia", runtime.Output, StringComparison.Ordinal);
        Assert.Contains("health (GET /health)", runtime.Output, StringComparison.Ordinal);
        Assert.Contains("openapi (GET /openapi.json)", runtime.Output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(folder, ".data", "azurite")));

        var code = await runtime.InterruptAsync(TimeSpan.FromSeconds(10));

        Assert.True(code == 0, $"exit code {code?.ToString() ?? "none within 10 s"}:\n{runtime.Output}");
        Assert.False(LocalRuntimeProcess.IsAlive(runtime.AzuritePid), "Azurite outlived the runtime");
        Assert.False(Listening(runtime.ApiUrl.Port), "the port is still taken");
    }

    [Fact]
    public async Task Killed_with_sigkill_it_takes_azurite_down_with_it_and_a_restart_finds_every_row()
    {
        var first = await LocalRuntimeProcess.StartAsync(folder);
        var azurite = first.AzuritePid;
        var table = new TableClient(ConnectionStringOf(first.Output), "crashcheck");
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "written-just-before-the-kill"));

        first.Kill();
        await first.WaitForExitAsync(CancellationToken.None);
        await first.DisposeAsync();
        await Eventually.True(() => !LocalRuntimeProcess.IsAlive(azurite), TimeSpan.FromSeconds(20), "Azurite to exit after the runtime was killed");

        await using var second = await LocalRuntimeProcess.StartAsync(folder);
        var again = new TableClient(ConnectionStringOf(second.Output), "crashcheck");
        var row = await again.GetEntityAsync<TableEntity>("p", "written-just-before-the-kill");
        Assert.Equal("written-just-before-the-kill", row.Value.RowKey);
        Assert.Equal(0, await second.InterruptAsync(TimeSpan.FromSeconds(10)));
    }

    private static string ConnectionStringOf(string output)
    {
        var m = System.Text.RegularExpressions.Regex.Match(output, @"blob (\d+), queue (\d+), table (\d+)");
        return AzuriteProcess.ConnectionStringFor(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value));
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
