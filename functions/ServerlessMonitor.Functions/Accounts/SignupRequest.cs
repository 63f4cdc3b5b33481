namespace ServerlessMonitor.Functions.Accounts;

/// <param name="Email">Trimmed and lower-cased; at most 254 characters.</param>
/// <param name="Name">1–100 characters of one line.</param>
public sealed record SignupRequest(string Email, string? Name);
