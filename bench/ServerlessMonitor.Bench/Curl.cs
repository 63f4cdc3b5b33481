using System.Diagnostics;
using System.Globalization;

namespace ServerlessMonitor.Bench;

/// <summary>curl as the yardstick: a fresh connection and a full TLS handshake every time, and its own -w timings.</summary>
internal static class Curl
{
    public const string Path = "/usr/bin/curl";

    /// <summary>curl's milestones, ms from its start: namelookup, connect, appconnect (0 without TLS), pretransfer, starttransfer, total.</summary>
    public sealed record Timings(double Lookup, double Connect, double AppConnect, double PreTransfer, double StartTransfer, double Total)
    {
        /// <summary>Request sent → first byte of the answer.</summary>
        public double Wait => StartTransfer - PreTransfer;
    }

    public static async Task<Timings> FetchAsync(string url, string caFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--silent", "--no-sessionid", "--cacert", caFile, "-H", "Connection: close", "--output", "/dev/null",
            "--write-out", "%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer} %{time_starttransfer} %{time_total}", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var values = output.Trim().Split(' ').Select(text => double.Parse(text, CultureInfo.InvariantCulture) * 1000).ToArray();
        return new Timings(values[0], values[1], values[2], values[3], values[4], values[5]);
    }
}
