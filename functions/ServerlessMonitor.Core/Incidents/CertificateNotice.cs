using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>What a certificate warning says, whatever channel carries it (docs/MONITORS.md, Certificate warnings).</summary>
/// <param name="At">When it is sent.</param>
public sealed record CertificateNotice(AlertedMonitor Monitor, CertificateWarning Certificate, DateTimeOffset At)
{
    /// <summary>"expires in 5 days", "expires in 1 day", "expires within a day": days left are whole days, rounded down.</summary>
    public string Expires => Certificate.DaysLeft switch
    {
        <= 0 => "expires within a day",
        1 => "expires in 1 day",
        var n => $"expires in {n} days",
    };
}
