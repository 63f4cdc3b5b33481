using System.Text.Json.Nodes;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// infra/main.bicep through the real Bicep compiler: compiled to its ARM template, and evaluated
/// for given parameters with `bicep snapshot`, which expands every module, loop and name the way
/// Resource Manager would, leaving only values that exist after deployment (reference()) as
/// expressions. Each is made once per test run.
/// </summary>
public static class InfraTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000a1";
    public const string TenantId = "00000000-0000-0000-0000-0000000000b2";
    public const string PrincipalId = "00000000-0000-0000-0000-0000000000c3";

    /// <summary>@maxLength(64) on environmentName: the longest name azd can pass.</summary>
    public static readonly string LongestEnvironmentName = new('e', 64);

    /// <summary>Regions offering Flex Consumption, by continent (learn.microsoft.com/azure/azure-functions/flex-consumption-how-to).</summary>
    public static readonly IReadOnlyDictionary<string, string> FlexRegions = new Dictionary<string, string>
    {
        ["australiaeast"] = "Oceania",
        ["australiasoutheast"] = "Oceania",
        ["brazilsouth"] = "South America",
        ["canadacentral"] = "North America",
        ["centralindia"] = "Asia",
        ["centralus"] = "North America",
        ["eastasia"] = "Asia",
        ["eastus"] = "North America",
        ["eastus2"] = "North America",
        ["francecentral"] = "Europe",
        ["germanywestcentral"] = "Europe",
        ["italynorth"] = "Europe",
        ["japaneast"] = "Asia",
        ["koreacentral"] = "Asia",
        ["northcentralus"] = "North America",
        ["northeurope"] = "Europe",
        ["norwayeast"] = "Europe",
        ["southafricanorth"] = "Africa",
        ["southcentralus"] = "North America",
        ["southeastasia"] = "Asia",
        ["southindia"] = "Asia",
        ["spaincentral"] = "Europe",
        ["swedencentral"] = "Europe",
        ["uaenorth"] = "Middle East",
        ["uksouth"] = "Europe",
        ["ukwest"] = "Europe",
        ["westcentralus"] = "North America",
        ["westeurope"] = "Europe",
        ["westus"] = "North America",
        ["westus2"] = "North America",
        ["westus3"] = "North America",
    };

    private static readonly Lazy<(int Code, string Stdout, string Stderr)> Build = new(() => Bicep.Run("build", MainFile, "--stdout", "--no-restore"));

    private static readonly Lazy<Snapshot> DefaultsValue = new(() => Evaluate(LongestEnvironmentName, regions: null, PrincipalId));

    private static readonly Lazy<Snapshot> EveryRegionValue = new(() => Evaluate(LongestEnvironmentName, [.. FlexRegions.Keys], principalId: ""));

    public static string MainFile => Repo.PathOf("infra", "main.bicep");

    /// <summary>The ARM template azd deploys.</summary>
    public static JsonObject Template => JsonNode.Parse(Built.Stdout)!.AsObject();

    /// <summary>What `bicep build --no-restore` said, warnings included.</summary>
    public static (int Code, string Stdout, string Stderr) Built
    {
        get
        {
            Assert.True(Build.Value.Code == 0, $"bicep build infra/main.bicep failed:\n{Build.Value.Stderr}");
            return Build.Value;
        }
    }

    /// <summary>The default regions, the longest environment name, and a signed-in principal.</summary>
    public static Snapshot Defaults => DefaultsValue.Value;

    /// <summary>Every Flex Consumption region at once, the longest environment name, no principal.</summary>
    public static Snapshot EveryRegion => EveryRegionValue.Value;

    public static IReadOnlyList<string> DefaultRegions =>
        Template["parameters"]!["regions"]!["defaultValue"]!.AsArray().Select(r => (string)r!).ToList();

    private static Snapshot Evaluate(string environmentName, IReadOnlyList<string>? regions, string principalId)
    {
        var folder = Directory.CreateTempSubdirectory("sm-bicep-");
        try
        {
            var parameters = Path.Combine(folder.FullName, "main.bicepparam");
            var main = Path.GetRelativePath(folder.FullName, MainFile).Replace('\\', '/');
            var lines = new List<string>
            {
                $"using '{main}'",
                $"param environmentName = '{environmentName}'",
                "param location = 'eastus2'",
                $"param principalId = '{principalId}'",
                "param tokenSecret = 'token-secret-for-the-snapshot'",
                "param webhookKey = 'webhook-key-for-the-snapshot'",
            };
            if (regions is not null)
            {
                lines.Add($"param regions = [{string.Join(", ", regions.Select(r => $"'{r}'"))}]");
            }

            File.WriteAllLines(parameters, lines);
            var run = Bicep.Run(
                "snapshot", parameters, "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", "eastus2");
            Assert.True(run.Code == 0, $"bicep snapshot failed: {run.Stderr}");
            var snapshot = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.FullName, "main.snapshot.json")))!.AsObject();
            Assert.Empty(snapshot["diagnostics"]?.AsArray() ?? []);
            return new Snapshot(
                snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList(),
                snapshot["outputs"]!.AsObject(),
                regions ?? DefaultRegions);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

/// <summary>What one evaluation of main.bicep would deploy and output.</summary>
public sealed record Snapshot(IReadOnlyList<JsonObject> Resources, JsonObject Outputs, IReadOnlyList<string> Regions)
{
    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>The last segment of a resource's name (child resources are named parent/child).</summary>
    public static string ShortName(JsonObject resource) => ((string)resource["name"]!).Split('/')[^1];

    /// <summary>A function app's settings, by name.</summary>
    public static IReadOnlyDictionary<string, string> AppSettings(JsonObject site) =>
        site["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string?)s!["value"] ?? "");
}
