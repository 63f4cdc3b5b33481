using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// azure.yaml and host.json as azd and the Functions host read them: the one service is the
/// Worker SDK app, deployed as a .NET function app; the postdeploy hook is the C# file that
/// exists, run the same way on POSIX and Windows; host.json keeps the Durable hub and sampling.
/// </summary>
public sealed partial class AzureYamlTests
{
    private static readonly Lazy<Dictionary<string, string>> Yaml = new(() => ReadYaml(File.ReadAllLines(Repo.PathOf("azure.yaml"))));

    [Fact]
    public void Points_azd_at_infra_main_bicep()
    {
        Assert.Equal("bicep", Value("infra.provider"));
        Assert.True(File.Exists(Repo.PathOf(Value("infra.path"), $"{Value("infra.module")}.bicep")));
    }

    [Fact]
    public void Has_the_one_service_api_the_primary_app_is_tagged_with()
    {
        Assert.Equal(["api"], Yaml.Value.Keys.Where(k => k.StartsWith("services.", StringComparison.Ordinal)).Select(k => k.Split('.')[1]).Distinct());
        Assert.Single(InfraTemplate.Defaults.OfType("Microsoft.Web/sites"), s => (string?)s["tags"]?["azd-service-name"] == "api");
    }

    [Fact]
    public void Deploys_the_worker_sdk_app_as_a_dotnet_function_app()
    {
        Assert.Equal("dotnet", Value("services.api.language"));
        Assert.Equal("function", Value("services.api.host"));
        var project = Repo.PathOf(Value("services.api.project").Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray());
        var csproj = XDocument.Load(Assert.Single(Directory.GetFiles(project, "*.csproj")));
        Assert.Contains(csproj.Descendants("PackageReference"), p => (string?)p.Attribute("Include") == "Microsoft.Azure.Functions.Worker.Sdk");
        Assert.Equal("Exe", csproj.Descendants("OutputType").Single().Value);
    }

    [Fact]
    public void The_postdeploy_hook_runs_the_csharp_hook_for_the_service_project_on_posix_and_windows_alike()
    {
        var posix = Value("hooks.postdeploy.posix.run");
        var windows = Value("hooks.postdeploy.windows.run");
        Assert.Equal("sh", Value("hooks.postdeploy.posix.shell"));
        Assert.Equal("pwsh", Value("hooks.postdeploy.windows.shell"));
        var command = HookCommand().Match(posix);
        Assert.True(command.Success, posix);
        Assert.True(File.Exists(Repo.PathOf(command.Groups["script"].Value.Split('/'))));
        Assert.Equal(Value("services.api.project").TrimStart('.', '/'), command.Groups["project"].Value);

        // pwsh would otherwise report success after a failed native command.
        Assert.Equal($"{posix}; exit $LASTEXITCODE", windows);
    }

    [Fact]
    public void Host_json_names_the_durable_hub_from_SM_TASK_HUB_on_azure_storage()
    {
        var durable = HostJson()["extensions"]!["durableTask"]!;
        Assert.Equal("2.0", (string?)HostJson()["version"]);
        Assert.Equal("%SM_TASK_HUB%", (string?)durable["hubName"]);
        Assert.Equal("AzureStorage", (string?)durable["storageProvider"]?["type"] ?? "AzureStorage");
    }

    [Fact]
    public void Host_json_samples_telemetry_so_logs_cannot_cost_more_than_compute()
    {
        // docs/DEPLOY.md, "Keeping logs cheaper than compute".
        var sampling = HostJson()["logging"]!["applicationInsights"]!["samplingSettings"]!;
        Assert.True((bool)sampling["isEnabled"]!);
        Assert.InRange((int)sampling["maxTelemetryItemsPerSecond"]!, 1, 20);
    }

    private static JsonNode HostJson() => JsonNode.Parse(File.ReadAllText(Repo.PathOf("host.json")))!;

    private static string Value(string path) =>
        Yaml.Value.TryGetValue(path, out var value) ? value : throw new Xunit.Sdk.XunitException($"azure.yaml has no {path}");

    /// <summary>
    /// The YAML azure.yaml uses: nested mappings of plain scalars, and comments. Flattened to
    /// dotted paths; anything else (lists, quoting, tabs) fails, so the file stays that simple.
    /// </summary>
    private static Dictionary<string, string> ReadYaml(string[] lines)
    {
        var values = new Dictionary<string, string>();
        var path = new List<(int Indent, string Key)>();
        foreach (var (raw, number) in lines.Select((l, i) => (l, i + 1)))
        {
            var text = Regex.Replace(raw, @"(^|\s)#.*$", "").TrimEnd();
            if (text.Length == 0)
            {
                continue;
            }

            var entry = YamlEntry().Match(text);
            Assert.True(entry.Success, $"azure.yaml line {number} is not 'key: value': {raw}");
            var indent = entry.Groups["indent"].Length;
            path.RemoveAll(p => p.Indent >= indent);
            var key = string.Join('.', path.Select(p => p.Key).Append(entry.Groups["key"].Value));
            if (entry.Groups["value"].Success)
            {
                Assert.True(values.TryAdd(key, entry.Groups["value"].Value), $"azure.yaml line {number}: {key} twice");
            }
            else
            {
                path.Add((indent, entry.Groups["key"].Value));
            }
        }

        return values;
    }

    [GeneratedRegex(@"^(?<indent> *)(?<key>[\w-]+):(?: (?<value>[^'""\[{].*))?$")]
    private static partial Regex YamlEntry();

    [GeneratedRegex(@"^dotnet run (?<script>infra/hooks/[\w-]+\.cs) -- (?<project>[\w./-]+)$")]
    private static partial Regex HookCommand();
}
