using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// Each regional function app as the compiler evaluates it: Flex Consumption running the .NET 10
/// isolated worker, signed in as the user-assigned identity, with exactly the settings the code
/// declares (SettingCatalog) plus the platform's own.
/// </summary>
public sealed class FunctionAppTests
{
    // Read by the Functions host and Application Insights, not by our code.
    private static readonly string[] PlatformSettings =
    [
        "AzureFunctionsWebHost__hostid",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    [Fact]
    public void Every_app_sets_exactly_the_declared_azure_settings_and_the_platform_ones()
    {
        var expected = SettingCatalog.All
            .Where(s => s.Scope != SettingScope.Local && !s.UnsetInAzure)
            .Select(s => s.Name)
            .Concat(PlatformSettings)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.All(InfraTemplate.Defaults.OfType("Microsoft.Web/sites"), site =>
            Assert.Equal(expected, Snapshot.AppSettings(site).Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Sets_nothing_azure_must_leave_unset_and_no_worker_runtime_setting_which_flex_refuses()
    {
        var forbidden = SettingCatalog.All.Where(s => s.UnsetInAzure || s.Scope == SettingScope.Local).Select(s => s.Name)
            .Append("FUNCTIONS_WORKER_RUNTIME")
            .Append("AzureWebJobsStorage");
        Assert.All(InfraTemplate.Defaults.OfType("Microsoft.Web/sites"), site =>
            Assert.All(forbidden, name => Assert.False(Snapshot.AppSettings(site).ContainsKey(name), $"{site["name"]} sets {name}")));
    }

    [Fact]
    public void Secrets_are_key_vault_references_resolved_as_the_app_identity()
    {
        var secrets = SettingCatalog.All.Where(s => s.Secret && !s.UnsetInAzure && s.Scope != SettingScope.Local).Select(s => s.Name).ToList();
        Assert.Contains(SettingCatalog.TokenSecret, secrets);
        Assert.Contains(SettingCatalog.WebhookKey, secrets);
        var identity = (string)InfraTemplate.Defaults.Single("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;
        Assert.All(InfraTemplate.Defaults.OfType("Microsoft.Web/sites"), site =>
        {
            var settings = Snapshot.AppSettings(site);
            Assert.All(secrets, name => Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', ", settings[name]));
            Assert.Equal(identity, (string?)site["properties"]!["keyVaultReferenceIdentity"]);
        });
    }

    [Fact]
    public void Each_app_knows_its_region_all_regions_and_the_primary()
    {
        var snapshot = InfraTemplate.EveryRegion;
        Assert.All(snapshot.OfType("Microsoft.Web/sites"), site =>
        {
            var settings = Snapshot.AppSettings(site);
            Assert.Equal((string)site["location"]!, settings[SettingCatalog.Region]);
            Assert.Equal(string.Join(",", snapshot.Regions), settings[SettingCatalog.Regions]);
            Assert.Equal(snapshot.Regions[0], settings[SettingCatalog.PrimaryRegion]);
            Assert.Equal("false", settings[SettingCatalog.AllowPrivateTargets]);
            Assert.Equal("managedidentity", settings[SettingCatalog.StorageCredential]);
            Assert.Equal((string)snapshot.Single("Microsoft.Storage/storageAccounts")["name"]!, settings[SettingCatalog.StorageAccountName]);
            Assert.Equal(SettingCatalog.Get(SettingCatalog.TaskHub).Default, settings[SettingCatalog.TaskHub]);
        });
    }

    [Fact]
    public void Runs_the_dotnet_isolated_10_worker_on_flex_consumption()
    {
        Assert.All(InfraTemplate.Defaults.OfType("Microsoft.Web/serverfarms"), plan =>
        {
            Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
            Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        });
        Assert.All(InfraTemplate.Defaults.OfType("Microsoft.Web/sites"), site =>
        {
            Assert.Equal("functionapp,linux", (string?)site["kind"]);
            var config = site["properties"]!["functionAppConfig"]!;
            Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
            Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
            Assert.True((bool)site["properties"]!["httpsOnly"]!);
        });
    }

    [Fact]
    public void Deploys_each_package_from_its_own_container_as_the_user_assigned_identity()
    {
        var identity = (string)InfraTemplate.Defaults.Single("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;
        Assert.All(InfraTemplate.Defaults.OfType("Microsoft.Web/sites"), site =>
        {
            Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
            Assert.Equal([identity], site["identity"]!["userAssignedIdentities"]!.AsObject().Select(kv => kv.Key));
            var storage = site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;
            Assert.Equal("blobContainer", (string?)storage["type"]);
            Assert.Contains($"app-package-{site["location"]}", (string?)storage["value"]);
            Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
            Assert.Equal(identity, (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        });
    }
}
