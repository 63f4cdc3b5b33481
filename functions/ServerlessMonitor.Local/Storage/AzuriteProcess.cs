using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Local.Storage;

/// <summary>
/// Azurite from npm as a guarded child (azurite/guard.js): its own process group, so a terminal's
/// Ctrl-C reaches only the runtime, which then stops Azurite in order (SIGTERM; Azurite saves its
/// data on the way out); and its stdin is a pipe from this process, so when the runtime dies by any
/// means, even SIGKILL, the pipe closes and Azurite shuts itself down. Ports are chosen by the OS
/// (port 0) and read back from Azurite's own "listening at" lines, so instances never collide.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    private const string Account = "devstoreaccount1";

    // Azurite's well-known development key (public, documented by Microsoft; not a secret).
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;
    private int disposed;

    private AzuriteProcess(Process process, int blob, int queue, int table)
    {
        this.process = process;
        BlobPort = blob;
        QueuePort = queue;
        TablePort = table;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public int ProcessId => process.Id;

    public string ConnectionString => ConnectionStringFor(BlobPort, QueuePort, TablePort);

    public static string ConnectionStringFor(int blob, int queue, int table) => string.Join(';',
        "DefaultEndpointsProtocol=http",
        $"AccountName={Account}",
        $"AccountKey={Key}",
        $"BlobEndpoint=http://127.0.0.1:{blob}/{Account}",
        $"QueueEndpoint=http://127.0.0.1:{queue}/{Account}",
        $"TableEndpoint=http://127.0.0.1:{table}/{Account}");

    /// <summary>Starts Azurite with its data in <paramref name="location"/>, or in memory when it is null.</summary>
    public static async Task<AzuriteProcess> StartAsync(string? location, Action<string> log, CancellationToken cancellationToken)
    {
        var package = await AzuritePackage.EnsureInstalledAsync(log, cancellationToken).ConfigureAwait(false);
        string workingDirectory;
        var args = new List<string> { "node", Path.Combine(package, "guard.js"), "--blobPort", "0", "--queuePort", "0", "--tablePort", "0", "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose" };
        string? pidFile = null;
        if (location is null)
        {
            // Azurite refuses a location together with in-memory persistence; it then works in its cwd.
            workingDirectory = Path.GetTempPath();
            args.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            workingDirectory = location;
            args.AddRange(["--location", location]);
            pidFile = Path.Combine(location, "azurite.pid");
            await WaitForEarlierInstanceAsync(pidFile, log, cancellationToken).ConfigureAwait(false);
        }

        // setsid: a process group of its own, so a terminal's SIGINT does not reach it directly.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["AZURITE_ACCEPT_EULA"] = "true";
        if (pidFile is not null)
        {
            start.Environment["SM_AZURITE_PID_FILE"] = pidFile;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Azurite");
        try
        {
            var (blob, queue, table) = await ReadPortsAsync(process, cancellationToken).ConfigureAwait(false);
            return new AzuriteProcess(process, blob, queue, table);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Ends Azurite in order: closing its stdin makes it SIGTERM itself and save its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(8));
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    /// <summary>
    /// Azurite keeps tables in memory and saves them on exit: a second Azurite on the same folder
    /// while the first is still saving would read stale files. So wait for the earlier one to end.
    /// </summary>
    private static async Task WaitForEarlierInstanceAsync(string pidFile, Action<string> log, CancellationToken cancellationToken)
    {
        if (!File.Exists(pidFile) || !int.TryParse(await File.ReadAllTextAsync(pidFile, cancellationToken).ConfigureAwait(false), out var pid))
        {
            return;
        }

        var said = false;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (IsAzuriteGuard(pid) && DateTime.UtcNow < deadline)
        {
            if (!said)
            {
                log($"waiting for an earlier Azurite (pid {pid}) to save its data and exit");
                said = true;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        if (IsAzuriteGuard(pid))
        {
            throw new InvalidOperationException($"an earlier Azurite (pid {pid}) still holds {Path.GetDirectoryName(pidFile)}; stop it first");
        }
    }

    private static bool IsAzuriteGuard(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("guard.js", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<(int Blob, int Queue, int Table)> ReadPortsAsync(Process process, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = new StringBuilder();
        var ports = new Dictionary<string, int>();
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        while (ports.Count < 3)
        {
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"Azurite did not start within 60 s:\n{output}");
            }

            if (line is null)
            {
                var stderr = await errors.ConfigureAwait(false);
                throw new InvalidOperationException($"Azurite exited before it listened:\n{output}{stderr}");
            }

            output.AppendLine(line);
            if (ListeningLine().Match(line) is { Success: true } m)
            {
                ports[m.Groups[1].Value] = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        // Keep draining both pipes so Azurite never blocks on a full one.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        return (ports["Blob"], ports["Queue"], ports["Table"]);
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://[^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
