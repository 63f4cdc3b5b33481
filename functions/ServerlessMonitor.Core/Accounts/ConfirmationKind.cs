namespace ServerlessMonitor.Core.Accounts;

public enum ConfirmationKind
{
    /// <summary>Activates a pending account and shows its first API key.</summary>
    Account,

    /// <summary>An address with an active account signed up again: a fresh API key.</summary>
    Recovery,

    /// <summary>Verifies a channel: its address agrees to get the account's alerts.</summary>
    Channel,

    /// <summary>Accepts an invitation to receive the alerts of another account's monitor.</summary>
    Receiver,
}
