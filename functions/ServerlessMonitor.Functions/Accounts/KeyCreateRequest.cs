namespace ServerlessMonitor.Functions.Accounts;

/// <param name="ReadOnly">Required. A read-only key can read everything its account can, and change nothing.</param>
/// <param name="Label">1–100 characters of one line.</param>
public sealed record KeyCreateRequest(bool ReadOnly, string? Label);
