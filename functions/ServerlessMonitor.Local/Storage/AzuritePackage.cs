using System.Diagnostics;

namespace ServerlessMonitor.Local.Storage;

/// <summary>
/// The local runtime's own npm package (azurite/package.json + lock). Installed with `npm ci` on
/// first use; found next to the built runtime or in the source tree.
/// </summary>
public static class AzuritePackage
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>The package folder, with node_modules installed.</summary>
    public static async Task<string> EnsureInstalledAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var folder = Locate();
        var cli = Path.Combine(folder, "node_modules", "azurite", "dist", "src", "azurite.js");
        await InstallLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(cli))
            {
                return folder;
            }

            log($"Azurite is not installed yet: running npm ci in {folder} (once)");
            var start = new ProcessStartInfo("npm") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            {
                start.ArgumentList.Add(a);
            }

            using var npm = Process.Start(start) ?? throw new InvalidOperationException("could not run npm (Node.js 20 or newer is needed)");
            var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
            await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (npm.ExitCode != 0 || !File.Exists(cli))
            {
                throw new InvalidOperationException($"npm ci in {folder} failed ({npm.ExitCode}):\n{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
            }

            return folder;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>
    /// The source tree's azurite folder (so one install serves every build and test run), found by
    /// walking up from the running assembly; else the copy next to it.
    /// </summary>
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "functions", "ServerlessMonitor.Local", "azurite");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "azurite");
        return File.Exists(Path.Combine(beside, "package.json"))
            ? beside
            : throw new InvalidOperationException("the local runtime's azurite/package.json was not found");
    }
}
