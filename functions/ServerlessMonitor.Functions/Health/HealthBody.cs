namespace ServerlessMonitor.Functions.Health;

/// <param name="Status">ok or error; mirrors <paramref name="Storage"/>.</param>
/// <param name="Storage">ok when Table Storage answered within 3 s, else error.</param>
/// <param name="Alerting">ok when email can be sent; not_configured in Azure without ACS and SM_EMAIL_SENDER
/// (nothing is written to a file instead), so a deployment that cannot alert says so.</param>
/// <param name="Operator">ok when SM_OPERATOR_EMAIL is set: alerts about the deployment itself (a silent or
/// untrusted region, the verdict step not running) are mailed there; not_configured: they are only logged.</param>
/// <param name="Regions">How the regions and the verdict step are doing; absent when storage cannot tell. It never changes the status: a silent region is not this region's ill health.</param>
public sealed record HealthBody(string Status, string Region, string Version, string Storage, string Alerting, string Operator, HealthRegions? Regions = null);
