using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Functions.Results;

/// <summary>Why a probe failed: its class (dns, connect, tls, timeout, protocol, status, content, blocked), the system code when there is one, and a message.</summary>
public sealed record ResultErrorBody(ErrorClass Class, string? Code, string Message);
