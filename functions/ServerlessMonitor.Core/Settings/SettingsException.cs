namespace ServerlessMonitor.Core.Settings;

/// <summary>A setting is missing or malformed; the message names it.</summary>
public sealed class SettingsException(string setting, string message) : Exception($"{setting}: {message}")
{
    public string Setting { get; } = setting;
}
