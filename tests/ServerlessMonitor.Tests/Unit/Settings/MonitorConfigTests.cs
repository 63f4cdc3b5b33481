using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Unit.Settings;

public sealed class MonitorConfigTests
{
    private static MonitorConfig Load(RuntimeMode mode, params (string Key, string Value)[] values) =>
        MonitorConfig.Load(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)).Append(KeyValuePair.Create("AzureWebJobsStorage", (string?)"UseDevelopmentStorage=true"))).Build(),
            mode);

    [Fact]
    public void Defaults_give_one_local_region_a_real_minute_and_private_targets_only_locally()
    {
        var local = Load(RuntimeMode.Local);
        var azure = Load(RuntimeMode.Azure);

        Assert.Equal(["local"], local.Regions);
        Assert.Equal("local", local.PrimaryRegion);
        Assert.True(local.AllowPrivateTargets);
        Assert.False(azure.AllowPrivateTargets);
        Assert.Equal(TimeSpan.FromMinutes(1), local.MinuteLength);
        Assert.Equal(new Uri("http://127.0.0.1:7071"), local.PublicBaseUrl);
        Assert.Equal(["127.0.0.1:10002"], local.CanaryTargets);
        Assert.Equal(["127.0.0.1:10002", "1.1.1.1:53", "8.8.8.8:53"], azure.CanaryTargets);
    }

    [Fact]
    public void The_scheduling_minute_scales_only_in_the_local_runtime()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), Load(RuntimeMode.Local, ("SM_MINUTE_SECONDS", "3")).MinuteLength);
        Assert.Equal(TimeSpan.FromMinutes(1), Load(RuntimeMode.Azure, ("SM_MINUTE_SECONDS", "3")).MinuteLength);
    }

    [Theory]
    [InlineData("SM_REGIONS", "eu,EU")]
    [InlineData("SM_REGIONS", "eu,eu")]
    [InlineData("SM_PRIMARY_REGION", "mars")]
    [InlineData("SM_TOKEN_SECRET", "short")]
    [InlineData("SM_TOKEN_SECRET", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)")]
    [InlineData("SM_TASK_HUB", "has-dash")]
    [InlineData("SM_MINUTE_SECONDS", "0")]
    [InlineData("SM_PORT", "70000")]
    [InlineData("SM_CYCLE_BUDGET", "-1")]
    [InlineData("SM_ALLOW_PRIVATE_TARGETS", "maybe")]
    [InlineData("SM_OPERATOR_EMAIL", "ops at example.com")]
    [InlineData("SM_PUBLIC_BASE_URL", "ftp://x")]
    [InlineData("SM_CANARY_TARGETS", "no-port")]
    public void A_bad_setting_fails_the_start_naming_the_setting(string name, string value)
    {
        var e = Assert.Throws<SettingsException>(() => name == "SM_REGIONS" ? Load(RuntimeMode.Local, (name, value)) : Load(RuntimeMode.Local, ("SM_REGIONS", "eu,us"), (name, value)));
        Assert.Equal(name, e.Setting);
    }

    [Fact]
    public void Identity_storage_derives_the_endpoints_from_the_account_name()
    {
        var config = MonitorConfig.Load(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage__accountName"] = "stabc123",
                ["AzureWebJobsStorage__clientId"] = "6f1c0e4a-3a1b-4c2d-9e8f-0a1b2c3d4e5f",
            }).Build(),
            RuntimeMode.Azure);

        var identity = Assert.IsType<StorageConfig.Identity>(config.Storage);
        Assert.Equal(new Uri("https://stabc123.table.core.windows.net"), identity.TableUri);
        Assert.Equal("6f1c0e4a-3a1b-4c2d-9e8f-0a1b2c3d4e5f", identity.ClientId);
        Assert.Equal(["stabc123.table.core.windows.net:443", "1.1.1.1:53", "8.8.8.8:53"], config.CanaryTargets);
    }

    [Fact]
    public void Storage_is_required()
    {
        var e = Assert.Throws<SettingsException>(() => MonitorConfig.Load(new ConfigurationBuilder().Build(), RuntimeMode.Azure));
        Assert.Equal("AzureWebJobsStorage", e.Setting);
    }
}
