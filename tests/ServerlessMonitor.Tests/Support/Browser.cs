using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// Headless Chromium from the system's packages (Debian's chromium and chromium-driver),
/// driven by Selenium through the system's chromedriver: both paths are given, so Selenium
/// never looks for, or downloads, a browser or a driver. Each browser gets its own profile
/// folder, deleted on dispose.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly string profile = Path.Combine(Path.GetTempPath(), $"sm-chromium-{Guid.NewGuid():N}");

    public Browser(int width, int height)
    {
        if (Missing is { } missing)
        {
            throw new InvalidOperationException($"cannot run the browser tests: {missing}");
        }

        Directory.CreateDirectory(profile);
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", $"--user-data-dir={profile}", $"--window-size={width},{height}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Window.Size = new Size(width, height);
    }

    public ChromeDriver Driver { get; }

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Missing =>
        File.Exists(ChromiumPath) && File.Exists(DriverPath) ? null : $"{ChromiumPath} or {DriverPath} is missing (apt-get install -y chromium chromium-driver; .ci/run installs them)";

    /// <summary>The browser's console messages at SEVERE level (errors) since the last call.</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message)];

    /// <summary>The whole page as a PNG at the window's width (the window is made as tall as the page first).</summary>
    public string SaveFullPage(string folder, string name)
    {
        var width = Driver.Manage().Window.Size.Width;
        var height = Convert.ToInt32(Driver.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight)"), System.Globalization.CultureInfo.InvariantCulture);
        Driver.Manage().Window.Size = new Size(width, Math.Clamp(height, 200, 16_000));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment after quitting; the folder is in /tmp.
        }
    }
}

/// <summary>
/// A test that needs Chromium. Without it, it is skipped with the reason when run by hand, and
/// runs (and fails, saying what is missing) in CI: CI installs Chromium, so its absence there
/// is a broken build, not a reason to skip.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Browser.Missing is { } missing && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"no browser: {missing}";
        }
    }
}
