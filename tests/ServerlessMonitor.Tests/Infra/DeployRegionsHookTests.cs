using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// The postdeploy hook, infra/hooks/deploy-regions.cs, run as azd runs it (`dotnet run`, a real
/// process) against loopback HTTPS servers standing in for Resource Manager and each region's
/// Flex deployment endpoint (trusted through SSL_CERT_FILE), with a fake `azd` on PATH that prints
/// a token. It publishes a small real project with the real `dotnet publish`.
/// </summary>
public sealed class DeployRegionsHookTests : IAsyncLifetime
{
    private const string Token = "token-from-azd";
    private const string Subscription = "sub-1";
    private const string ResourceGroup = "rg-monitor";
    private const string Tenant = "tenant-1";

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("sm-hook-");
    private readonly List<WebApplication> servers = [];
    private readonly ConcurrentQueue<string> armRequests = new();
    private readonly ConcurrentDictionary<string, FakeRegion> regions = new();
    private Uri arm = null!;

    public async Task InitializeAsync()
    {
        arm = await StartAsync(HandleArmAsync);
        WriteProject();
        WriteFakeAzd();
        await File.WriteAllTextAsync(Path.Combine(work.FullName, "ca.pem"), TestCertificates.Instance.Authority.ExportCertificatePem());
    }

    public async Task DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }

        work.Delete(recursive: true);
    }

    [Fact]
    public async Task Publishes_the_same_package_to_every_region_but_the_primary_and_waits_for_each_deployment()
    {
        var apps = await AppsAsync(("eastus2", 4), ("northeurope", 4), ("southeastasia", 4));

        var run = await RunHookAsync(apps, primary: "func-eastus2");

        Assert.True(run.Code == 0, run.Output);
        Assert.Equal(["auth token --output json --tenant-id tenant-1"], await File.ReadAllLinesAsync(Path.Combine(work.FullName, "azd.log")));
        Assert.Equal(
            ["func-northeurope", "func-southeastasia"],
            armRequests.Order(StringComparer.Ordinal).ToList());
        Assert.Empty(regions["eastus2"].Uploads);

        var packages = new[] { regions["northeurope"], regions["southeastasia"] }.Select(r => Assert.Single(r.Uploads)).ToList();
        Assert.Equal(packages[0].Body, packages[1].Body);
        Assert.All(packages, p =>
        {
            Assert.Equal($"Bearer {Token}", p.Authorization);
            Assert.Equal("application/zip", p.ContentType);
        });
        Assert.All(new[] { regions["northeurope"], regions["southeastasia"] }, r => Assert.True(r.Polls >= 2, $"{r.Name} was polled {r.Polls} times"));

        using var zip = new ZipArchive(new MemoryStream(packages[0].Body));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("functions.metadata", names);
        Assert.Contains("TinyApp.dll", names);
        Assert.Contains("extensions/extensions.json", names);
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(1980, 1, 1), e.LastWriteTime.DateTime));
        using var metadata = new StreamReader(zip.GetEntry("functions.metadata")!.Open());
        Assert.Equal("[]", (await metadata.ReadToEndAsync()).Trim());
        Assert.Contains("[southeastasia] deployed: https://func-southeastasia.azurewebsites.net", run.Output);
    }

    [Fact]
    public async Task Fails_when_one_region_fails_naming_it_while_the_others_still_get_the_package()
    {
        var apps = await AppsAsync(("eastus2", 4), ("northeurope", 4), ("southeastasia", 3));

        var run = await RunHookAsync(apps, primary: "func-eastus2");

        Assert.Equal(1, run.Code);
        Assert.Contains("Deployment failed in 1 region(s)", run.Output);
        Assert.Contains("southeastasia: deployment dep-southeastasia failed: Package is not a zip", run.Output);
        Assert.Single(regions["northeurope"].Uploads);
        Assert.Contains("[northeurope] deployed", run.Output);
    }

    [Fact]
    public async Task With_one_region_there_is_nothing_to_copy_and_azd_is_not_asked()
    {
        var apps = await AppsAsync(("eastus2", 4));

        var run = await RunHookAsync(apps, primary: "func-eastus2");

        Assert.True(run.Code == 0, run.Output);
        Assert.Contains("One region only", run.Output);
        Assert.False(File.Exists(Path.Combine(work.FullName, "azd.log")));
        Assert.Empty(armRequests);
    }

    [Fact]
    public async Task Refuses_an_environment_that_was_never_provisioned_or_mixes_two_provisions()
    {
        var apps = await AppsAsync(("eastus2", 4), ("northeurope", 4));

        var unprovisioned = await RunHookAsync(null, primary: "func-eastus2");
        var mixed = await RunHookAsync(apps, primary: "func-westus");

        Assert.Equal(1, unprovisioned.Code);
        Assert.Contains("SM_FUNCTION_APPS is not set", unprovisioned.Output);
        Assert.Equal(1, mixed.Code);
        Assert.Contains("SERVICE_API_NAME (func-westus) is not among SM_FUNCTION_APPS", mixed.Output);
        Assert.Empty(regions["northeurope"].Uploads);
    }

    /// <summary>A regional app per (region, final deployment status); returns SM_FUNCTION_APPS as azd stores it.</summary>
    private async Task<string> AppsAsync(params (string Region, int FinalStatus)[] apps)
    {
        foreach (var (region, status) in apps)
        {
            var fake = new FakeRegion(region, status);
            fake.Scm = await StartAsync(fake.HandleAsync);
            regions[region] = fake;
        }

        return JsonSerializer.Serialize(apps.Select(a => new { region = a.Region, name = $"func-{a.Region}", url = $"https://func-{a.Region}.azurewebsites.net" }));
    }

    private async Task HandleArmAsync(HttpContext context)
    {
        const string Prefix = $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.Web/sites/";
        var path = context.Request.Path.Value ?? "";
        if (context.Request.Method != "GET" || !path.StartsWith(Prefix, StringComparison.Ordinal)
            || context.Request.Query["api-version"] != "2024-04-01" || context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = 400;
            return;
        }

        var name = path[Prefix.Length..];
        armRequests.Enqueue(name);
        var region = regions.Values.Single(r => $"func-{r.Name}" == name);
        await context.Response.WriteAsJsonAsync(new
        {
            properties = new
            {
                hostNameSslStates = new[]
                {
                    new { name = $"{name}.azurewebsites.net", hostType = "Standard" },
                    new { name = region.Scm.Authority, hostType = "Repository" },
                },
            },
        });
    }

    private async Task<Uri> StartAsync(RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestCertificates.Instance.Valid)));
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync();
        servers.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>A tiny project standing in for the Functions app: what matters is that dotnet publish really runs.</summary>
    private void WriteProject()
    {
        var project = Directory.CreateDirectory(Path.Combine(work.FullName, "TinyApp")).FullName;
        File.WriteAllText(Path.Combine(project, "TinyApp.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <None Include="functions.metadata" CopyToPublishDirectory="PreserveNewest" />
                <None Include="extensions/extensions.json" CopyToPublishDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "functions.metadata"), "[]\n");
        Directory.CreateDirectory(Path.Combine(project, "extensions"));
        File.WriteAllText(Path.Combine(project, "extensions", "extensions.json"), "{}\n");
        File.WriteAllText(Path.Combine(project, "Tiny.cs"), "namespace TinyApp; public static class Tiny { }\n");
    }

    private void WriteFakeAzd()
    {
        var bin = Directory.CreateDirectory(Path.Combine(work.FullName, "bin")).FullName;
        var azd = Path.Combine(bin, "azd");
        File.WriteAllText(azd, $$"""
            #!/bin/sh
            echo "$*" >> "{{Path.Combine(work.FullName, "azd.log")}}"
            echo '{"token":"{{Token}}","expiresOn":"2099-01-01T00:00:00Z"}'
            """.Replace("\r", ""));
        // The Bicep compiler these tests use is the linux-x64 build: the suite runs on Linux only.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(azd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task<(int Code, string Output)> RunHookAsync(string? apps, string primary)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "run", Repo.PathOf("infra", "hooks", "deploy-regions.cs"), "--", Path.Combine(work.FullName, "TinyApp") })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would steer the hook's own builds.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["PATH"] = $"{Path.Combine(work.FullName, "bin")}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["SSL_CERT_FILE"] = Path.Combine(work.FullName, "ca.pem");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["SM_ARM_ENDPOINT"] = arm.ToString();
        start.Environment["AZURE_SUBSCRIPTION_ID"] = Subscription;
        start.Environment["AZURE_RESOURCE_GROUP"] = ResourceGroup;
        start.Environment["AZURE_TENANT_ID"] = Tenant;
        start.Environment["SERVICE_API_NAME"] = primary;
        start.Environment.Remove("SM_FUNCTION_APPS");
        if (apps is not null)
        {
            start.Environment["SM_FUNCTION_APPS"] = apps;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    private sealed record Upload(string? Authorization, string? ContentType, byte[] Body);

    /// <summary>One region's Flex deployment endpoint: takes the upload, then reports Building once and the final status.</summary>
    private sealed class FakeRegion(string name, int finalStatus)
    {
        private int polls;

        public string Name => name;

        public Uri Scm { get; set; } = null!;

        public ConcurrentQueue<Upload> Uploads { get; } = new();

        public int Polls => polls;

        public async Task HandleAsync(HttpContext context)
        {
            var id = $"dep-{name}";
            if (context.Request.Method == "POST" && context.Request.Path == "/api/publish")
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                Uploads.Enqueue(new Upload(context.Request.Headers.Authorization, context.Request.ContentType, body.ToArray()));
                context.Response.StatusCode = 202;
                await context.Response.WriteAsJsonAsync(id);
            }
            else if (context.Request.Method == "GET" && context.Request.Path == $"/api/deployments/{id}" && !Uploads.IsEmpty)
            {
                var status = Interlocked.Increment(ref polls) == 1 ? 1 : finalStatus;
                await context.Response.WriteAsJsonAsync(new { status, status_text = status switch { 1 => "Building", 3 => "Package is not a zip", _ => "Succeeded" } });
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        }
    }
}
