using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// In Azure nothing in the app creates tables or queues (only the local runtime does, in Azurite):
/// the Bicep declares them with the storage account. These keep the evaluated template equal to
/// StorageNames, so a table or queue added to the code fails here until infra/main.bicep has it.
/// </summary>
public sealed class StorageObjectsTests
{
    /// <summary>How StorageNames writes a queue each region has its own of (as the queue trigger names it).</summary>
    private const string RegionPlaceholder = "%SM_REGION%";

    [Fact]
    public void Declares_exactly_the_tables_the_app_uses()
    {
        var declared = InfraTemplate.Defaults.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(Snapshot.ShortName);
        Assert.Equal(StorageNames.Tables.Order(StringComparer.Ordinal), declared.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Declares_exactly_the_queues_the_app_uses_regional_ones_once_per_region_each_with_its_poison_queue()
    {
        var snapshot = InfraTemplate.EveryRegion;
        var expected = StorageNames.Queues
            .Concat(StorageNames.RegionalQueues.SelectMany(q => snapshot.Regions.Select(r => q.Replace(RegionPlaceholder, r, StringComparison.Ordinal))))
            .SelectMany(q => new[] { q, $"{q}-poison" })
            .Order(StringComparer.Ordinal);
        var declared = snapshot.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(Snapshot.ShortName);
        Assert.Equal(expected, declared.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Everything_lives_in_the_one_storage_account_the_apps_use()
    {
        var account = (string)InfraTemplate.Defaults.Single("Microsoft.Storage/storageAccounts")["name"]!;
        var children = InfraTemplate.Defaults.Resources.Where(r => ((string)r["type"]!).StartsWith("Microsoft.Storage/storageAccounts/", StringComparison.Ordinal));
        Assert.All(children, c => Assert.StartsWith($"{account}/", (string)c["name"]!));
    }
}
