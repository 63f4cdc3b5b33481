namespace ServerlessMonitor.Core.Accounts;

/// <param name="Action">One sentence for the page: what pressing the button does.</param>
public sealed record ConfirmationPreview(ConfirmationKind Kind, string Action);
