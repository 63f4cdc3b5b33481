using System.Diagnostics;
using System.Text.Json;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Bench;

/// <summary>
/// The probe benchmarks' target: the tests' HTTP and HTTPS servers in a process of their own, so
/// their work never shows up in the probing process's CPU time or thread pool.
/// </summary>
internal sealed class TargetServer : IAsyncDisposable
{
    private const string TargetVariable = "SM_BENCH_TARGET";
    private readonly Process? _process;

    private TargetServer(Process? process, Addresses endpoints)
    {
        _process = process;
        Endpoints = endpoints;
    }

    public sealed record Addresses(string Http, string Https, string CaFile, int ProcessId);

    public Addresses Endpoints { get; }

    public string Http => Endpoints.Http;

    public string Https => Endpoints.Https;

    /// <summary>The test CA as a PEM file: curl's --cacert, and the measuring process's SSL_CERT_FILE.</summary>
    public string CaFile => Endpoints.CaFile;

    public int ProcessId => Endpoints.ProcessId;

    /// <summary>
    /// Starts the target, then runs <paramref name="measure"/> in a child process of this program
    /// that trusts the test CA as its system trust (SSL_CERT_FILE, as curl's --cacert does), so
    /// probes take the production path: the system's roots, one chain per handshake, no extra roots.
    /// </summary>
    public static async Task<int> RunTrustingAsync(string benchmark, Func<TargetServer, CancellationToken, Task<int>> measure, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(TargetVariable) is { Length: > 0 } attached)
        {
            return await measure(new TargetServer(null, JsonSerializer.Deserialize<Addresses>(attached)!), cancellationToken);
        }

        await using var target = await StartAsync();
        var start = Self(benchmark);
        start.Environment["SSL_CERT_FILE"] = target.CaFile;
        start.Environment[TargetVariable] = JsonSerializer.Serialize(target.Endpoints);
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync(cancellationToken);
        return child.ExitCode;
    }

    private static async Task<TargetServer> StartAsync()
    {
        var start = Self("serve");
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the target server did not start");
        return new TargetServer(process, JsonSerializer.Deserialize<Addresses>(line)! with { ProcessId = process.Id });
    }

    /// <summary>This program again, with <paramref name="command"/>, whether it runs as an apphost or through dotnet.</summary>
    internal static ProcessStartInfo Self(string command)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(TargetServer).Assembly.Location);
        }

        start.ArgumentList.Add(command);
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        _process.StandardInput.Close();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(Path.GetDirectoryName(CaFile)!, recursive: true);
    }

    /// <summary>The `serve` command: runs the servers until stdin closes (the benchmark ending or dying).</summary>
    public static async Task<int> ServeAsync(CancellationToken cancellationToken)
    {
        var certificates = TestCertificates.Instance;
        var directory = Directory.CreateTempSubdirectory("sm-bench-").FullName;
        var caFile = Path.Combine(directory, "ca.pem");
        await File.WriteAllTextAsync(caFile, certificates.Authority.ExportCertificatePem(), cancellationToken);
        await using var http = new HttpTestServer();
        await using var https = new HttpTestServer(certificates.Valid);
        // Addresses, not localhost: curl would try ::1 first and pay for the refusal in its connect time.
        Console.WriteLine(JsonSerializer.Serialize(new Addresses(http.Url, https.Url, caFile, Environment.ProcessId)));
        await Console.In.ReadToEndAsync(cancellationToken);
        return 0;
    }
}
