namespace ServerlessMonitor.Functions.Health;

/// <param name="Status">ok or error; mirrors <paramref name="Storage"/>.</param>
/// <param name="Storage">ok when Table Storage answered within 3 s, else error.</param>
public sealed record HealthBody(string Status, string Region, string Version, string Storage);
