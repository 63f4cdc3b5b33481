namespace ServerlessMonitor.Core.Settings;

/// <summary>Which runtime hosts the functions: the Azure Functions host, or the local runtime.</summary>
public enum RuntimeMode
{
    Azure,
    Local,
}
