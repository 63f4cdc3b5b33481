namespace ServerlessMonitor.Core.Settings;

/// <summary>Where a setting matters: both runtimes, only the local runtime, or only in Azure.</summary>
public enum SettingScope
{
    Both,
    Local,
    Azure,
}

/// <summary>
/// One setting the code reads. <see cref="SettingCatalog.All"/> lists every one of them; README.md,
/// local.settings.sample.json and the Bicep app settings are checked against that list by tests.
/// </summary>
/// <param name="Default">The default exactly as it would be written in the environment, or null
/// when the default is derived (the description says how).</param>
/// <param name="UnsetInAzure">The Bicep deliberately leaves it unset in Azure (a local-style
/// alternative to managed identity).</param>
public sealed record SettingSpec(
    string Name,
    SettingScope Scope,
    string Description,
    string? Default = null,
    bool Secret = false,
    bool UnsetInAzure = false);
