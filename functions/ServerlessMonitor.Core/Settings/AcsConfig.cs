namespace ServerlessMonitor.Core.Settings;

/// <summary>How the app reaches Azure Communication Services, when it does.</summary>
public abstract record AcsConfig
{
    private AcsConfig()
    {
    }

    public sealed record ConnectionString(string Value) : AcsConfig;

    public sealed record Identity(Uri Endpoint, string? ClientId) : AcsConfig;
}
