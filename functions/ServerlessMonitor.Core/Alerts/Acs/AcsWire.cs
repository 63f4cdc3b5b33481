namespace ServerlessMonitor.Core.Alerts.Acs;

// The JSON both ACS APIs share: the error body of a refused request (common-types ErrorResponse).

internal sealed record AcsErrorResponse(AcsError? Error);

internal sealed record AcsError(string? Code, string? Message);
