namespace ServerlessMonitor.Core.Accounts;

public enum AccountStatus
{
    /// <summary>Signed up, not confirmed: no key works, and the row expires.</summary>
    Pending,

    Active,
}
