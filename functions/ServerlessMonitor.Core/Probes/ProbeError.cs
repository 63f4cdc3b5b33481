using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// A failed probe's finding. <see cref="Code"/> is the system or resolver code when there is one
/// (ECONNREFUSED, ETIMEDOUT, ENETUNREACH, ENOTFOUND, CERT_HAS_EXPIRED, …), spelled as the
/// TypeScript engine spelled them so stored results and rules keep their meaning.
/// </summary>
public sealed record ProbeError(ErrorClass Class, string Message, string? Code = null)
{
    private static readonly HashSet<string> TargetDnsCodes = ["ENOTFOUND", "ENODATA", "EBADNAME"];
    private static readonly HashSet<string> LocalConnectCodes = ["ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EADDRNOTAVAIL"];

    /// <summary>
    /// True when the failure says nothing about the target: our resolver failed, no connection
    /// was established in time, or our network could not route. The cycle counts only these
    /// toward a region's error rate (DESIGN.md, Decide).
    /// </summary>
    [JsonIgnore]
    public bool IsLocalFault => Code is not null && Class switch
    {
        ErrorClass.Timeout => Code == "ETIMEDOUT",
        ErrorClass.Dns => !TargetDnsCodes.Contains(Code),
        ErrorClass.Connect => LocalConnectCodes.Contains(Code),
        _ => false,
    };
}
