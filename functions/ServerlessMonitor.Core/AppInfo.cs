using System.Reflection;

namespace ServerlessMonitor.Core;

/// <summary>What this build is.</summary>
public static class AppInfo
{
    /// <summary>The product version (Directory.Build.props), without build metadata.</summary>
    public static string Version { get; } =
        typeof(AppInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
