namespace ServerlessMonitor.Core.Probes;

/// <summary>Where a probe is: the same socket error means a different thing in each (a reset in the handshake is a TLS problem).</summary>
internal enum ProbeStage
{
    Dns,
    Connect,
    Tls,
    Exchange,
}
