using System.Text.RegularExpressions;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Unit.Settings;

/// <summary>
/// The app reads only declared settings, and in one place (settings.test.ts): MonitorConfig reads
/// the configuration, the local runtime gathers it for its regions; every other piece of code
/// takes MonitorConfig. Binding expressions (%NAME%) name declared settings too.
/// </summary>
public sealed partial class SettingsReadsTests
{
    private static readonly string[] Readers =
    [
        Path.Combine("ServerlessMonitor.Core", "Settings", "MonitorConfig.cs"),
        Path.Combine("ServerlessMonitor.Local", "LocalRuntime.cs"),
    ];

    [Fact]
    public void Only_the_settings_reader_and_the_local_runtime_read_configuration_or_the_environment()
    {
        var readers = Sources()
            .Where(f => ConfigurationRead().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Repo.PathOf("functions"), f))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Readers.Order(StringComparer.Ordinal), readers);
    }

    [Fact]
    public void Binding_expressions_name_declared_settings()
    {
        var declared = SettingCatalog.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var named = Sources().SelectMany(f => BindingExpression().Matches(File.ReadAllText(f)).Select(m => (File: f, Name: m.Groups[1].Value))).ToList();

        Assert.NotEmpty(named);
        Assert.All(named, n => Assert.True(declared.Contains(n.Name), $"{n.File}: %{n.Name}% is not a declared setting"));
    }

    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Repo.PathOf("functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"GetEnvironmentVariable\(|[cC]onfiguration\[")]
    private static partial Regex ConfigurationRead();

    [GeneratedRegex(@"""[^""\r\n]*%([A-Za-z_][A-Za-z0-9_]*)%[^""\r\n]*""")]
    private static partial Regex BindingExpression();
}
