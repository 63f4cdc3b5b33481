using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>
/// One ACS resource reached over Azure.Core's pipeline, signed in with either an access key
/// (HMAC) or a Microsoft Entra token. Shared by the email and SMS channels; built once per
/// process, since the pipeline holds a connection pool.
/// </summary>
public sealed class AcsClient
{
    /// <summary>How long ACS remembers a repeatable request; a retry after that could send twice.</summary>
    public static readonly TimeSpan RepeatabilityWindow = TimeSpan.FromMinutes(5);

    /// <summary>The scope every ACS SDK asks for; the double slash is part of it.</summary>
    internal const string EntraScope = "https://communication.azure.com//.default";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpPipeline pipeline;

    /// <param name="transport">How requests travel (a proxy, a pinned certificate); null for Azure.Core's HttpClient.</param>
    public AcsClient(AcsAccessKey accessKey, TimeProvider time, HttpPipelineTransport? transport = null)
        : this(accessKey.Endpoint, new AcsHmacPolicy(accessKey.Key, time), time, transport)
    {
    }

    /// <param name="transport">How requests travel (a proxy, a pinned certificate); null for Azure.Core's HttpClient.</param>
    public AcsClient(Uri endpoint, TokenCredential credential, TimeProvider time, HttpPipelineTransport? transport = null)
        : this(AcsEndpoint.Check(endpoint, SettingCatalog.AcsEndpoint), new BearerTokenAuthenticationPolicy(credential, EntraScope), time, transport)
    {
    }

    private AcsClient(Uri endpoint, HttpPipelinePolicy authentication, TimeProvider time, HttpPipelineTransport? transport)
    {
        Endpoint = endpoint;
        Time = time;
        pipeline = HttpPipelineBuilder.Build(new AcsClientOptions(transport), [], [authentication], new ResponseClassifier());
    }

    public Uri Endpoint { get; }

    internal TimeProvider Time { get; }

    /// <summary>
    /// The client the settings describe: the access key of a connection string, or the app's
    /// managed identity (the user-assigned one when a client id is set).
    /// </summary>
    public static AcsClient FromConfig(AcsConfig config, TimeProvider time) => config switch
    {
        AcsConfig.ConnectionString c => new AcsClient(AcsAccessKey.Parse(c.Value), time),
        AcsConfig.Identity { ClientId: null } i => new AcsClient(i.Endpoint, new DefaultAzureCredential(), time),
        AcsConfig.Identity i => new AcsClient(i.Endpoint, new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(i.ClientId)), time),
        _ => throw new ArgumentOutOfRangeException(nameof(config), $"unknown ACS configuration {config?.GetType().Name}"),
    };

    /// <summary>A URL on this resource, e.g. <c>/sms?api-version=…</c>.</summary>
    internal Uri On(string pathAndQuery) => new(Endpoint, pathAndQuery);

    /// <summary>
    /// Sends one request and returns the answer, whatever its status (the caller classifies it).
    /// Network failures throw, as Azure.Core reports them.
    /// </summary>
    internal async Task<AcsAnswer> SendAsync(RequestMethod method, Uri uri, BinaryData? body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        foreach (var (name, value) in headers)
        {
            message.Request.Headers.SetValue(name, value);
        }

        if (body is not null)
        {
            message.Request.Headers.SetValue("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(body);
        }

        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return AcsAnswer.From(message.Response, Time.GetUtcNow());
    }
}
