using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>Why a probe failed, in the API's words (shared/API.md, `error.class`).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ErrorClass>))]
public enum ErrorClass
{
    Dns,
    Connect,
    Tls,
    Timeout,
    Protocol,
    Status,
    Content,
    Blocked,
}
