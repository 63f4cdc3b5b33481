namespace ServerlessMonitor.Core.Probes;

/// <summary>A probe's finding that the target failed, thrown from wherever the probe is and turned into the result's error.</summary>
internal sealed class ProbeFailure(ErrorClass errorClass, string message, string? code = null) : Exception(message)
{
    public ErrorClass Class { get; } = errorClass;

    public string? Code { get; } = code;

    public ProbeError ToError() => new(Class, Message, Code);
}
