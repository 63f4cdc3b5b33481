namespace ServerlessMonitor.Functions.OpenApi;

/// <summary>What the OpenAPI document says of an HTTP function (one per function; the route and methods come from its trigger).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiOperationAttribute(string summary, string tag) : Attribute
{
    public string Summary { get; } = summary;

    public string Tag { get; } = tag;

    public ApiAuth Auth { get; init; } = ApiAuth.None;

    /// <summary>The JSON body the function reads, if any.</summary>
    public Type? Body { get; init; }
}
