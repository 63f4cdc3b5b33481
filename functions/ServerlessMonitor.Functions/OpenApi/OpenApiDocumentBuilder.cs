using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ServerlessMonitor.Functions.Http;

namespace ServerlessMonitor.Functions.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from the HTTP functions themselves: routes and methods from
/// their triggers, the rest from [ApiOperation]/[ApiResponse], schemas from the C# types the
/// functions read and write (serialized with the API's own JSON options), so the description
/// cannot drift from the code.
/// </summary>
public static partial class OpenApiDocumentBuilder
{
    public static OpenApiDocument Build(Assembly functions, string serverUrl, string version)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo { Title = "Serverless Monitor API", Version = version },
            Servers = [new OpenApiServer { Url = serverUrl }],
            Paths = [],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["apiKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key from sign-up or POST /api/keys" },
                },
            },
        };

        var operations = functions.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Http: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Http is not null)
            .OrderBy(x => x.Http!.Route, StringComparer.Ordinal);

        foreach (var (method, function, http) in operations)
        {
            var doc = method.GetCustomAttribute<ApiOperationAttribute>()
                ?? throw new InvalidOperationException($"HTTP function {function!.Name} has no [ApiOperation]");
            var route = http!.Route ?? function!.Name;
            var path = "/" + RouteConstraint().Replace(route, "{$1}");
            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem { Operations = [] };
                document.Paths[path] = item;
            }

            var methods = http.Methods ?? ["get"];
            foreach (var verb in methods)
            {
                var operation = Operation(document, methods.Length > 1 ? $"{function!.Name}-{verb.ToLowerInvariant()}" : function!.Name, route, doc, method);
                ((OpenApiPathItem)item).Operations![HttpMethod.Parse(verb.ToUpperInvariant())] = operation;
            }
        }

        return document;
    }

    /// <summary>The document as OpenAPI 3.1 JSON.</summary>
    public static string ToJson(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }

    private static OpenApiOperation Operation(OpenApiDocument document, string operationId, string route, ApiOperationAttribute doc, MethodInfo method)
    {
        var responses = new OpenApiResponses();
        foreach (var r in method.GetCustomAttributes<ApiResponseAttribute>())
        {
            responses[r.Status.ToString(CultureInfo.InvariantCulture)] = Response(document, r.Description, r.Body, r.ContentType);
        }

        if (doc.Body is not null)
        {
            responses.TryAdd("400", Response(document, "Invalid input", typeof(ApiError), null));
        }

        if (doc.Auth == ApiAuth.Key)
        {
            responses.TryAdd("401", Response(document, "Missing or unknown API key", typeof(ApiError), null));
            responses.TryAdd("403", Response(document, "The key lacks the right", typeof(ApiError), null));
        }

        var operation = new OpenApiOperation
        {
            OperationId = operationId,
            Summary = doc.Summary,
            Tags = new HashSet<OpenApiTagReference> { new(doc.Tag, document) },
            Security = doc.Auth == ApiAuth.Key
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] }]
                : [],
            Parameters = RouteParameter().Matches(route)
                .Select(m => (IOpenApiParameter)new OpenApiParameter { Name = m.Groups[1].Value, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } })
                .ToList(),
            Responses = responses,
        };
        if (doc.Body is not null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = SchemaFor(document, doc.Body) } },
            };
        }

        return operation;
    }

    private static OpenApiResponse Response(OpenApiDocument document, string description, Type? body, string? contentType)
    {
        var response = new OpenApiResponse { Description = description };
        if (body is not null || contentType is not null)
        {
            response.Content = new Dictionary<string, IOpenApiMediaType>
            {
                [contentType ?? "application/json"] = new OpenApiMediaType { Schema = body is null ? new OpenApiSchema { Type = JsonSchemaType.String } : SchemaFor(document, body) },
            };
        }

        return response;
    }

    /// <summary>A reference to the type's schema in components, added on first use.</summary>
    private static IOpenApiSchema SchemaFor(OpenApiDocument document, Type type)
    {
        // A list answer is an array of its item's component: "KeyBody[]" is no component name.
        if (type.IsArray)
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = SchemaFor(document, type.GetElementType()!) };
        }

        var id = type.Name;
        if (!document.Components!.Schemas!.ContainsKey(id))
        {
            var json = JsonSchemaExporter.GetJsonSchemaAsNode(ApiJson.Options, type, Exporter).ToJsonString();
            var schema = OpenApiModelFactory.Parse<OpenApiSchema>(json, OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic, "json")
                ?? throw new InvalidOperationException($"no schema for {type.Name}: {string.Join("; ", diagnostic.Errors.Select(e => e.Message))}");
            document.Components.Schemas[id] = schema;
        }

        return new OpenApiSchemaReference(id, document);
    }

    /// <summary>
    /// Times are written by a custom converter (UTC with a Z), which the exporter cannot see into
    /// and would describe as "anything"; they are date-time strings.
    /// </summary>
    private static readonly JsonSchemaExporterOptions Exporter = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (context, node) =>
            (Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type) == typeof(DateTimeOffset)
                ? new JsonObject
                {
                    ["type"] = context.TypeInfo.Type == typeof(DateTimeOffset) ? "string" : new JsonArray("string", "null"),
                    ["format"] = "date-time",
                }
                : node,
    };

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)(:[^}]*)?\??\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
