using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// Which targets each region checks its own network against (SM_CANARY_TARGETS and defaults),
/// and the per-instance budget: the C# counterpart of tests/unit/cycle/canaries.test.ts, beside
/// what Unit/Settings/MonitorConfigTests already covers (defaults for UseDevelopmentStorage and
/// an identity-based account, a target without a port refused).
/// </summary>
public sealed class CanarySettingsTests
{
    private const string Azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10012/devstoreaccount1";

    [Fact]
    public void Default_locally_to_the_Azurite_table_endpoint_which_works_offline()
    {
        Assert.Equal(["127.0.0.1:10012"], Load(("AzureWebJobsStorage", Azurite)).CanaryTargets);
    }

    [Fact]
    public void Can_be_configured_and_refuse_what_is_not_host_and_port()
    {
        Assert.Equal(
            ["a.example:443", "[2606:4700::1111]:53"],
            Load(("AzureWebJobsStorage", Azurite), ("SM_CANARY_TARGETS", "a.example:443, [2606:4700::1111]:53")).CanaryTargets);
        var refused = Assert.Throws<SettingsException>(() => Load(("AzureWebJobsStorage", Azurite), ("SM_CANARY_TARGETS", "https://a.example/")));
        Assert.Equal("SM_CANARY_TARGETS", refused.Setting);
    }

    [Fact]
    public void Read_the_per_instance_budget()
    {
        Assert.Equal(2000, Load(("AzureWebJobsStorage", Azurite)).CycleBudget);
        Assert.Equal(50, Load(("AzureWebJobsStorage", Azurite), ("SM_CYCLE_BUDGET", "50")).CycleBudget);
        Assert.Equal("SM_CYCLE_BUDGET", Assert.Throws<SettingsException>(() => Load(("AzureWebJobsStorage", Azurite), ("SM_CYCLE_BUDGET", "0"))).Setting);
    }

    private static MonitorConfig Load(params (string Key, string Value)[] values) =>
        MonitorConfig.Load(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build(),
            RuntimeMode.Local);
}
