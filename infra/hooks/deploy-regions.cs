// azd postdeploy hook (azure.yaml): `dotnet run infra/hooks/deploy-regions.cs -- <app project>`.
//
// azd has published the app project and deployed it to the primary region's function app, the
// one tagged azd-service-name=api. This publishes the same project the same way (dotnet publish
// -c Release, as azd does) and puts that package on every other regional app, in parallel,
// through the Flex Consumption deployment endpoint azd itself uses: POST /api/publish on the
// app's SCM host, then polling the deployment until it reports an outcome. The token is azd's
// own (`azd auth token`), so neither the Azure CLI nor Node is needed. If any region fails, the
// hook fails, and so does `azd deploy`: regions must not silently run different versions.
//
// Reads the azd environment: SM_FUNCTION_APPS, SERVICE_API_NAME, AZURE_RESOURCE_GROUP and
// AZURE_TENANT_ID (outputs of infra/main.bicep) and AZURE_SUBSCRIPTION_ID (azd's own).
// SM_ARM_ENDPOINT names another cloud's Resource Manager (default https://management.azure.com).
// Only the base class library: nothing to restore. docs/DEPLOY.md explains the choice.

using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

try
{
    return await RegionalDeployment.RunAsync(args);
}
catch (HookException e)
{
    Console.Error.WriteLine($"deploy-regions: {e.Message}");
    return 1;
}

/// <summary>A failure the hook explains in one line; anything else is a bug and shows its stack.</summary>
internal sealed class HookException(string message) : Exception(message);

internal sealed record RegionalApp(string Region, string Name, string Url);

internal static class RegionalDeployment
{
    private const string SitesApiVersion = "2024-04-01";
    private static readonly TimeSpan DeploymentTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1)
        {
            throw new HookException("usage: dotnet run infra/hooks/deploy-regions.cs -- <path of the app project azd deploys>");
        }

        var targets = AppsToCopy();
        if (targets.Count == 0)
        {
            Console.WriteLine("One region only: azd already deployed it.");
            return 0;
        }

        var subscriptionId = Required("AZURE_SUBSCRIPTION_ID");
        var resourceGroup = Required("AZURE_RESOURCE_GROUP");
        var arm = new Uri(Optional("SM_ARM_ENDPOINT") ?? "https://management.azure.com/");
        var token = AzdAccessToken(Optional("AZURE_TENANT_ID"));
        var package = Package(args[0]);
        Console.WriteLine($"Publishing {package.Length / 1_048_576.0:0.0} MB to {string.Join(", ", targets.Select(t => t.Region))}");

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var outcomes = await Task.WhenAll(targets.Select(async app =>
        {
            try
            {
                var scmHost = await RepositoryHostAsync(http, arm, subscriptionId, resourceGroup, app.Name);
                Log(app, $"publishing to {app.Name}");
                await PublishAsync(http, new Uri($"https://{scmHost}/"), package, message => Log(app, message));
                Log(app, $"deployed: {app.Url}");
                return null;
            }
            catch (Exception e) when (e is HookException or HttpRequestException or TaskCanceledException or JsonException)
            {
                return $"{app.Region}: {e.Message}";
            }
        }));

        var failed = outcomes.OfType<string>().ToList();
        if (failed.Count > 0)
        {
            Console.Error.WriteLine($"Deployment failed in {failed.Count} region(s):{Environment.NewLine}{string.Join(Environment.NewLine, failed)}");
            return 1;
        }

        return 0;
    }

    private static void Log(RegionalApp app, string message) => Console.WriteLine($"[{app.Region}] {message}");

    private static string? Optional(string name)
    {
        var value = Environment.GetEnvironmentVariable(name)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string Required(string name) =>
        Optional(name) ?? throw new HookException($"{name} is not set: run `azd provision` (or `azd up`) first");

    /// <summary>Every regional app except the primary, which azd deployed to.</summary>
    private static List<RegionalApp> AppsToCopy()
    {
        var apps = ParseApps(Required("SM_FUNCTION_APPS"));
        var primary = Required("SERVICE_API_NAME");
        if (!apps.Any(a => a.Name == primary))
        {
            // The environment mixes two provisions; copying now would skip or double a region.
            throw new HookException($"SERVICE_API_NAME ({primary}) is not among SM_FUNCTION_APPS: run `azd provision` again");
        }

        return apps.Where(a => a.Name != primary).ToList();
    }

    /// <summary>SM_FUNCTION_APPS as azd stores an array output: JSON.</summary>
    private static List<RegionalApp> ParseApps(string json)
    {
        JsonElement list;
        try
        {
            list = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            throw new HookException("SM_FUNCTION_APPS is not JSON: run `azd provision` again");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new HookException("SM_FUNCTION_APPS is not a list of apps");
        }

        return list.EnumerateArray().Select((item, i) =>
        {
            string? Text(string property) =>
                item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var (region, name, url) = (Text("region"), Text("name"), Text("url"));
            return region is null || name is null || url is null
                ? throw new HookException($"SM_FUNCTION_APPS[{i}] lacks region, name or url")
                : new RegionalApp(region, name, url);
        }).ToList();
    }

    /// <summary>A Resource Manager token for whoever is signed in to azd: the one azd deploys with.</summary>
    private static string AzdAccessToken(string? tenantId)
    {
        List<string> arguments = ["auth", "token", "--output", "json"];
        if (tenantId is not null)
        {
            arguments.AddRange(["--tenant-id", tenantId]);
        }

        var (code, stdout, stderr) = Run("azd", arguments, captureOutput: true);
        if (code != 0)
        {
            throw new HookException($"azd auth token failed: {stderr.Trim()}");
        }

        try
        {
            using var answer = JsonDocument.Parse(stdout);
            return answer.RootElement.TryGetProperty("token", out var token) && token.GetString() is { Length: > 0 } value
                ? value
                : throw new HookException("azd auth token returned no token");
        }
        catch (JsonException)
        {
            throw new HookException("azd auth token did not answer JSON");
        }
    }

    /// <summary>
    /// Publishes the project as azd does (`dotnet publish -c Release`) and zips the output. Same
    /// sources, same configuration: MSBuild finds azd's build up to date and copies the same
    /// assemblies. The zip is deterministic (sorted entries, one fixed time).
    /// </summary>
    private static byte[] Package(string project)
    {
        var output = Directory.CreateTempSubdirectory("sm-deploy-");
        try
        {
            var (code, _, _) = Run("dotnet", ["publish", project, "-c", "Release", "--output", output.FullName], captureOutput: false);
            if (code != 0)
            {
                throw new HookException($"dotnet publish {project} failed (exit {code})");
            }

            if (!File.Exists(Path.Combine(output.FullName, "functions.metadata")))
            {
                throw new HookException($"dotnet publish {project} wrote no functions.metadata: is it the Functions app (Worker SDK) project?");
            }

            return Zip(output.FullName);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static byte[] Zip(string root)
    {
        // 1980-01-01, the earliest time a zip records: the same folder always gives the same bytes.
        var fixedTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = zip.CreateEntry(file.Name, CompressionLevel.Optimal);
                entry.LastWriteTime = fixedTime;
                if (!OperatingSystem.IsWindows())
                {
                    // A regular file, rw-r--r--, whatever the umask of the machine that built it.
                    entry.ExternalAttributes = (0x8000 | 0x1A4) << 16;
                }

                using var target = entry.Open();
                using var source = File.OpenRead(file.Path);
                source.CopyTo(target);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The app's SCM (deployment) host, read from Resource Manager: apps may have unique default host names.</summary>
    private static async Task<string> RepositoryHostAsync(HttpClient http, Uri arm, string subscriptionId, string resourceGroup, string appName)
    {
        var site = new Uri(arm,
            $"subscriptions/{Uri.EscapeDataString(subscriptionId)}/resourceGroups/{Uri.EscapeDataString(resourceGroup)}" +
            $"/providers/Microsoft.Web/sites/{Uri.EscapeDataString(appName)}?api-version={SitesApiVersion}");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var response = await http.GetAsync(site, cancel.Token);
        var body = await response.Content.ReadAsStringAsync(cancel.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HookException($"reading app {appName} from Resource Manager: HTTP {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        if (json.RootElement.TryGetProperty("properties", out var properties)
            && properties.TryGetProperty("hostNameSslStates", out var hosts)
            && hosts.ValueKind == JsonValueKind.Array)
        {
            foreach (var host in hosts.EnumerateArray())
            {
                if (host.TryGetProperty("hostType", out var type) && type.GetString() == "Repository"
                    && host.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } value)
                {
                    return value;
                }
            }
        }

        throw new HookException($"app {appName} has no deployment (SCM) host");
    }

    /// <summary>Uploads the package and waits until the Flex deployment service reports the outcome.</summary>
    private static async Task PublishAsync(HttpClient http, Uri scm, byte[] package, Action<string> log)
    {
        using var cancel = new CancellationTokenSource(DeploymentTimeout);
        try
        {
            await PublishAsync(http, scm, package, log, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new HookException($"the deployment did not finish within {DeploymentTimeout.TotalMinutes} minutes");
        }
    }

    private static async Task PublishAsync(HttpClient http, Uri scm, byte[] package, Action<string> log, CancellationToken cancel)
    {
        using var upload = new ByteArrayContent(package);
        upload.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(scm, "api/publish")) { Content = upload };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        string id;
        using (var started = await http.SendAsync(request, cancel))
        {
            var body = await started.Content.ReadAsStringAsync(cancel);
            if (started.StatusCode != HttpStatusCode.Accepted)
            {
                throw new HookException($"publish answered HTTP {(int)started.StatusCode}: {body}");
            }

            using var answer = JsonDocument.Parse(body);
            id = answer.RootElement.ValueKind == JsonValueKind.String && answer.RootElement.GetString() is { Length: > 0 } value
                ? value
                : throw new HookException("publish returned no deployment id");
        }

        log($"uploaded, deployment {id}");
        int? lastStatus = null;
        var notFound = 0;
        while (true)
        {
            using var response = await http.GetAsync(new Uri(scm, $"api/deployments/{Uri.EscapeDataString(id)}"), cancel);
            var body = await response.Content.ReadAsStringAsync(cancel);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // The record can appear late, and can vanish once the deployment worker recycles
                // after finishing; azd takes the latter as done, and so does this hook.
                if (lastStatus is not null)
                {
                    return;
                }

                if (++notFound > 3)
                {
                    throw new HookException($"deployment {id} was not found");
                }
            }
            else if (response.StatusCode is not HttpStatusCode.OK and not HttpStatusCode.Accepted)
            {
                throw new HookException($"deployment {id}: HTTP {(int)response.StatusCode} {body}");
            }
            else
            {
                using var json = JsonDocument.Parse(body);
                var status = json.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
                var text = json.RootElement.TryGetProperty("status_text", out var t) ? t.GetString() ?? "" : "";
                // The Flex deployment service's numbering, as azd reads it.
                switch (status)
                {
                    case 4:
                        return;
                    case 3:
                        throw new HookException($"deployment {id} failed: {text}");
                    case -1:
                        throw new HookException($"deployment {id} was cancelled");
                    case 5:
                        throw new HookException($"deployment {id} was cancelled: another deployment is running");
                    case 6:
                        throw new HookException($"deployment {id} partly succeeded: {text}");
                }

                if (status != lastStatus)
                {
                    log($"deployment {id}: {(text.Length > 0 ? text : $"status {status}")}");
                }

                lastStatus = status;
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta is { } delay && delay > TimeSpan.Zero ? delay : PollInterval, cancel);
        }
    }

    private static (int Code, string Stdout, string Stderr) Run(string command, IEnumerable<string> arguments, bool captureOutput)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = captureOutput, RedirectStandardError = captureOutput };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new HookException($"{command} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new HookException($"{command} did not start: {e.Message}");
        }

        using (process)
        {
            var stdout = captureOutput ? process.StandardOutput.ReadToEndAsync() : Task.FromResult("");
            var stderr = captureOutput ? process.StandardError.ReadToEndAsync() : Task.FromResult("");
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
