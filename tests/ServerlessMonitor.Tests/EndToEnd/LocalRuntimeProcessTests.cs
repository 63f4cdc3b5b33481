using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Local.Durable;
using ServerlessMonitor.Tests.TestFunctions;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// `dotnet run --project functions/ServerlessMonitor.Local` as a user runs it: from a folder with
/// no .data, answering, stopping cleanly on Ctrl-C, and never leaving Azurite behind, even when
/// the runtime itself is killed.
/// </summary>
public sealed class LocalRuntimeProcessTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sm-tests", $"process-{Guid.NewGuid():N}")).FullName;

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
        // Azurite is ended by the runtime; its process may take a moment to be reaped after that.
        await Eventually.True(() => !LocalRuntimeProcess.IsAlive(runtime.AzuritePid), TimeSpan.FromSeconds(5), $"Azurite to be gone with the runtime:\n{runtime.Output}");
        Assert.False(Listening(runtime.ApiUrl.Port), "the port is still taken");
    }

    [Fact]
    public async Task Killed_with_sigkill_it_takes_azurite_down_with_it_and_a_restart_finds_every_row()
    {
        var first = await LocalRuntimeProcess.StartAsync(folder);
        var azurite = first.AzuritePid;
        var table = new TableClient(first.ConnectionString, "crashcheck");
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "written-just-before-the-kill"));

        first.Kill();
        await first.WaitForExitAsync(CancellationToken.None);
        await first.DisposeAsync();
        await Eventually.True(() => !LocalRuntimeProcess.IsAlive(azurite), TimeSpan.FromSeconds(20), "Azurite to exit after the runtime was killed");

        await using var second = await LocalRuntimeProcess.StartAsync(folder);
        var again = new TableClient(second.ConnectionString, "crashcheck");
        var row = await again.GetEntityAsync<TableEntity>("p", "written-just-before-the-kill");
        Assert.Equal("written-just-before-the-kill", row.Value.RowKey);
        Assert.Equal(0, await second.InterruptAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// What the client saw before the kill is what the restart finds: the killed runtime's
    /// Azurite saves its tables as it shuts down (guard.js: a reader gone with the runtime must
    /// not crash it first, or the last 5 s of writes, this orchestration's history, are lost).
    /// </summary>
    [Fact]
    public async Task An_orchestration_waiting_when_the_runtime_is_killed_finishes_after_a_restart()
    {
        var id = $"flow-{Guid.NewGuid():N}";
        var first = await LocalRuntimeProcess.StartWithTestFunctionsAsync(folder);
        await using (var client = Client(first))
        {
            await client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Flow, new SampleFunctions.FlowInput("kim", 0, "in-another-process-0"), new StartOrchestrationOptions(id));
            await Eventually.True(async () => (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.SerializedCustomStatus == "\"waiting\"", TimeSpan.FromSeconds(120), "the orchestration to wait for its event");
        }

        var azurite = first.AzuritePid;
        first.Kill();
        await first.WaitForExitAsync(CancellationToken.None);
        await first.DisposeAsync();
        await Eventually.True(() => !LocalRuntimeProcess.IsAlive(azurite), TimeSpan.FromSeconds(120), "Azurite to save its data and exit after the runtime was killed");

        // Disposed, not interrupted: stopping within 10 s is the Ctrl-C test's business.
        await using var second = await LocalRuntimeProcess.StartWithTestFunctionsAsync(folder);
        try
        {
            await using var again = Client(second);
            Assert.Equal("\"waiting\"", (await again.GetInstanceAsync(id, getInputsAndOutputs: true))?.SerializedCustomStatus);
            await again.RaiseEventAsync(id, "go", "after the kill");
            var done = await again.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromSeconds(180)).Token);
            Assert.Equal("hello kim; in-another-process-0 ok after 1; after the kill", done.ReadOutputAs<string>());
        }
        catch
        {
            await foreach (var row in new TableClient(second.ConnectionString, "ServerlessMonitorHistory").QueryAsync<TableEntity>($"PartitionKey eq '{id}'"))
            {
                output.WriteLine($"history {row.RowKey} {row.GetString("EventType")} {row.GetString("ExecutionId")}");
            }

            output.WriteLine($"--- first ---\n{first.Output}\n--- second ---\n{second.Output}");
            throw;
        }
    }

    private static DurableTaskClient Client(LocalRuntimeProcess runtime) =>
        LocalDurableEngine.ConnectClient(runtime.ConnectionString, "ServerlessMonitor", NullLoggerFactory.Instance);

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
