using System.Text.RegularExpressions;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// Every name the template computes, evaluated by the Bicep compiler for the longest environment
/// name azd allows and every Flex Consumption region, against Azure's naming rules: a violation
/// would otherwise show up halfway through `azd up`.
/// </summary>
public sealed class NameTests
{
    // learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
    private static readonly Dictionary<string, (int Min, int Max, string Pattern)> Rules = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Resources/resourceGroups"] = (1, 90, @"^[-\w.()]*[-\w()]$"),
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = (3, 128, @"^[A-Za-z0-9][-\w]*$"),
        ["Microsoft.Storage/storageAccounts"] = (3, 24, "^[a-z0-9]+$"),
        ["Microsoft.Storage/storageAccounts/blobServices/containers"] = (3, 63, "^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$"),
        ["Microsoft.Storage/storageAccounts/tableServices/tables"] = (3, 63, "^[A-Za-z][A-Za-z0-9]*$"),
        ["Microsoft.Storage/storageAccounts/queueServices/queues"] = (3, 63, "^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$"),
        ["Microsoft.KeyVault/vaults"] = (3, 24, "^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*[A-Za-z0-9]$"),
        ["Microsoft.KeyVault/vaults/secrets"] = (1, 127, "^[A-Za-z0-9-]+$"),
        ["Microsoft.OperationalInsights/workspaces"] = (4, 63, "^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$"),
        ["Microsoft.Insights/components"] = (1, 260, @"^[^%&\\?/]+[^%&\\?/. ]$"),
        ["Microsoft.Communication/communicationServices"] = (1, 63, @"^[-\w]+$"),
        ["Microsoft.Communication/emailServices"] = (1, 63, "^[A-Za-z0-9-]+$"),
        ["Microsoft.Web/serverfarms"] = (1, 60, "^[A-Za-z0-9-]+$"),
        ["Microsoft.Web/sites"] = (2, 60, "^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$"),
    };

    // Named by the platform or by a fixed literal: 'default' services, the managed email domain,
    // and role assignments, whose names are guid()s of scope, principal and role.
    private static readonly string[] FixedNames =
    [
        "Microsoft.Storage/storageAccounts/blobServices",
        "Microsoft.Storage/storageAccounts/tableServices",
        "Microsoft.Storage/storageAccounts/queueServices",
        "Microsoft.Communication/emailServices/domains",
        "Microsoft.Authorization/roleAssignments",
    ];

    public static TheoryData<string> Evaluations => ["defaults", "every region"];

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void Every_resource_name_fits_its_rules_at_the_longest_environment_name(string evaluation)
    {
        foreach (var resource in Of(evaluation).Resources)
        {
            var type = (string)resource["type"]!;
            if (FixedNames.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            Assert.True(Rules.TryGetValue(type, out var rule), $"no naming rule for {type}: add one");
            var name = Snapshot.ShortName(resource);
            Assert.True(name.Length >= rule.Min && name.Length <= rule.Max, $"{type} {name}: {name.Length} characters, allowed {rule.Min}-{rule.Max}");
            Assert.True(Regex.IsMatch(name, rule.Pattern), $"{type} {name} breaks {rule.Pattern}");
        }
    }

    [Fact]
    public void Every_region_gets_its_own_app_plan_and_package_container()
    {
        var snapshot = InfraTemplate.EveryRegion;
        Assert.Equal(snapshot.Regions.Order(), snapshot.OfType("Microsoft.Web/sites").Select(s => (string)s["location"]!).Order());
        Assert.Equal(snapshot.Regions.Count, snapshot.OfType("Microsoft.Web/serverfarms").Count());
        Assert.Equal(snapshot.Regions.Count, snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Count());
        Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts"));
    }

    [Fact]
    public void Apps_sharing_the_storage_account_have_distinct_host_ids_within_32_characters()
    {
        // Apps sharing one storage account must not share a host ID (the host cuts it at 32
        // characters), or their timer locks collide and one region probes for all.
        var hostIds = InfraTemplate.EveryRegion.OfType("Microsoft.Web/sites")
            .Select(s => Snapshot.AppSettings(s)["AzureFunctionsWebHost__hostid"])
            .ToList();
        Assert.All(hostIds, id => Assert.Matches("^[a-z0-9-]{1,32}$", id));
        Assert.Equal(hostIds.Count, hostIds.Distinct().Count());
    }

    [Fact]
    public void Default_regions_are_three_flex_consumption_regions_on_different_continents()
    {
        var regions = InfraTemplate.DefaultRegions;
        Assert.Equal(3, regions.Count);
        Assert.All(regions, r => Assert.True(InfraTemplate.FlexRegions.ContainsKey(r), $"{r} has no Flex Consumption"));
        Assert.Equal(3, regions.Select(r => InfraTemplate.FlexRegions[r]).Distinct().Count());
    }

    [Fact]
    public void The_regions_make_an_SM_REGIONS_value_the_app_accepts()
    {
        var value = (string)InfraTemplate.EveryRegion.Outputs["SM_REGIONS"]!;
        Assert.Equal(InfraTemplate.EveryRegion.Regions, MonitorConfig.ParseRegionList(SettingCatalog.Regions, value));
    }

    [Fact]
    public void The_public_base_url_is_the_primary_app_azd_deploys_to()
    {
        var primary = InfraTemplate.Defaults.OfType("Microsoft.Web/sites").Single(s => (string?)s["tags"]?["azd-service-name"] == "api");
        Assert.Equal($"https://{primary["name"]}.azurewebsites.net", (string?)InfraTemplate.Defaults.Outputs["SM_PUBLIC_BASE_URL"]);
    }

    private static Snapshot Of(string evaluation) => evaluation == "defaults" ? InfraTemplate.Defaults : InfraTemplate.EveryRegion;
}
