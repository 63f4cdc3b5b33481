namespace ServerlessMonitor.Functions.OpenApi;

/// <summary>One answer an HTTP function gives, for the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiResponseAttribute(int status, string description, Type? body = null) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    public Type? Body { get; } = body;

    /// <summary>Defaults to application/json when there is a body type.</summary>
    public string? ContentType { get; init; }
}
