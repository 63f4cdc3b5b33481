namespace ServerlessMonitor.Functions.OpenApi;

public enum ApiAuth
{
    /// <summary>Anonymous.</summary>
    None,

    /// <summary>Needs `Authorization: Bearer &lt;apiKey&gt;`.</summary>
    Key,
}
