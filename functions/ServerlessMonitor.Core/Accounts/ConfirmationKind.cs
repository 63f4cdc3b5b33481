namespace ServerlessMonitor.Core.Accounts;

public enum ConfirmationKind
{
    /// <summary>Activates a pending account and shows its first API key.</summary>
    Account,

    /// <summary>An address with an active account signed up again: a fresh API key.</summary>
    Recovery,
}
