namespace ServerlessMonitor.Core.Monitors;

/// <summary>The defaults and limits of a monitor's settings (shared/BEHAVIOUR.md, POST /api/monitors).</summary>
public static class MonitorLimits
{
    /// <summary>The probe schedule offers these intervals only, so load can be spread by a stable offset.</summary>
    public static IReadOnlyList<int> Intervals { get; } = [1, 2, 5, 10, 20];

    /// <summary>dnsbl: an address, host or domain every 4 hours, a block once a day (the ExactState notes).</summary>
    public const int DnsblIntervalMinutes = 240;
    public const int DnsblBlockIntervalMinutes = 1440;

    /// <summary>dnsbl: a listing is news the moment it is seen; a recheck could only repeat it.</summary>
    public const int DnsblAlertDelayMinutes = 0;

    public const int MaxDnsblLists = 20;

    public const int DefaultTimeoutSeconds = 10;
    public const int MaxTimeoutSeconds = 30;

    /// <summary>A recheck runs the minute after a failure: two minutes lets it cancel a blip before anyone is woken.</summary>
    public const int DefaultAlertDelayMinutes = 2;
    public const int MaxAlertDelayMinutes = 60;

    public const int DefaultRepeatMinutes = 15;
    public const int MaxRepeatMinutes = 1440;

    public const int DefaultRecoveryPasses = 1;
    public const int MaxRecoveryPasses = 10;

    public const int MaxEscalationSteps = 10;
    public const int MaxAfterMinutes = 1440;
    public const int MaxChannelsPerStep = 10;
    public const int MaxRegions = 20;
    public const int MaxNameLength = 100;

    /// <summary>Far above any one team's needs; keeps a runaway script from filling the probe cycle.</summary>
    public const int MaxPerAccount = 1000;

    /// <summary>How long an Idempotency-Key answers with the monitor its first request made.</summary>
    public static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromHours(24);
}
