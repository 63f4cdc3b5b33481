using System.Diagnostics;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>
/// What npm-start.test.ts asked of `npm start` beyond starting and stopping: a bad setting ends
/// the start with a message naming it and exit code 1, and the token secret the runtime made for
/// itself is kept in the data folder, so links it mailed still work after a restart.
/// </summary>
public sealed class LocalRuntimeStartTests
{
    [Fact]
    public async Task A_bad_setting_ends_the_start_with_a_message_naming_it_and_exit_code_1()
    {
        var folder = Directory.CreateTempSubdirectory("sm-bad-setting-").FullName;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Repo.PathOf("functions", "ServerlessMonitor.Local", "bin", Repo.Configuration, "net10.0", "ServerlessMonitor.Local.dll"));
        start.Environment["SM_PORT"] = "0";
        start.Environment["SM_MINUTE_SECONDS"] = "soon";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);

        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        Assert.Contains("SM_MINUTE_SECONDS: expected a number", await stderr, StringComparison.Ordinal);

        // It stopped before anything started: no Azurite, no data folder.
        Assert.False(Directory.Exists(Path.Combine(folder, ".data")));
    }

    [Fact]
    public async Task The_token_secret_it_made_itself_is_kept_in_the_data_folder_across_restarts()
    {
        var dataDir = Directory.CreateTempSubdirectory("sm-secret-").FullName;
        var settings = new Dictionary<string, string?> { ["SM_DATA_DIR"] = dataDir };
        string first;
        await using (var runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"sec{Guid.NewGuid():N}"[..20], settings, withSamples: false)))
        {
            first = runtime.Config.TokenSecret!;
        }

        var file = Directory.GetFiles(dataDir, "token-secret", SearchOption.AllDirectories);
        Assert.Equal(first, (await File.ReadAllTextAsync(Assert.Single(file))).Trim());
        Assert.True(first.Length >= 32, first);

        await using var again = await LocalRuntime.StartAsync(TestRuntime.Options($"sec{Guid.NewGuid():N}"[..20], settings, withSamples: false));
        Assert.Equal(first, again.Config.TokenSecret);
    }
}
