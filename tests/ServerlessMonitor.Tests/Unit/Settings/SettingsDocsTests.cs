using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Unit.Settings;

/// <summary>
/// Every setting is declared once (SettingCatalog); README.md and local.settings.sample.json must
/// say the same. (The Bicep app settings are checked in Infra/FunctionAppTests.)
/// </summary>
public sealed class SettingsDocsTests
{
    [Fact]
    public void Each_setting_is_declared_once_with_a_description()
    {
        Assert.Equal(SettingCatalog.All.Count, SettingCatalog.All.Select(s => s.Name).Distinct().Count());
        Assert.All(SettingCatalog.All, s => Assert.True(s.Description.Length > 20, s.Name));
    }

    [Fact]
    public void Readme_carries_the_generated_settings_table()
    {
        var readme = File.ReadAllText(Repo.PathOf("README.md"));
        Assert.True(
            readme == SettingsTable.ApplyTo(readme),
            "README.md's settings table is stale: run dotnet run --project functions/ServerlessMonitor.Cli -- settings --write-readme");
    }

    [Fact]
    public void The_sample_local_settings_list_what_func_start_needs_and_nothing_undeclared()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Repo.PathOf("local.settings.sample.json")))!["Values"]!.AsObject();
        var names = sample.Select(kv => kv.Key).ToHashSet();

        Assert.Equal("dotnet-isolated", (string?)sample["FUNCTIONS_WORKER_RUNTIME"]);
        foreach (var s in SettingCatalog.All.Where(s => s.Scope == SettingScope.Both))
        {
            Assert.True(names.Contains(s.Name), $"local.settings.sample.json lacks {s.Name}");
        }

        var declared = SettingCatalog.All.Select(s => s.Name).ToHashSet();
        foreach (var name in names.Where(n => n != "FUNCTIONS_WORKER_RUNTIME"))
        {
            Assert.True(declared.Contains(name), $"local.settings.sample.json sets {name}, which no code declares");
        }
    }
}
