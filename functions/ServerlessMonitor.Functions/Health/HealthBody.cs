namespace ServerlessMonitor.Functions.Health;

/// <param name="Status">ok or error; mirrors <paramref name="Storage"/>.</param>
/// <param name="Storage">ok when Table Storage answered within 3 s, else error.</param>
/// <param name="Regions">How the regions and the verdict step are doing; absent when storage cannot tell. It never changes the status: a silent region is not this region's ill health.</param>
public sealed record HealthBody(string Status, string Region, string Version, string Storage, HealthRegions? Regions = null);
