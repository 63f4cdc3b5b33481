using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Accounts;

/// <param name="Action">What pressing the page's button does, in one sentence.</param>
public sealed record ConfirmationPreviewBody(ConfirmationKind Kind, string Action);
