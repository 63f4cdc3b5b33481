using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>How reasons name a failure: its class and its code, or its message when it has no code.</summary>
internal static class Describe
{
    public static string Error(ProbeError error) =>
        $"{error.Class.ToString().ToLowerInvariant()} {error.Code ?? error.Message}";
}
