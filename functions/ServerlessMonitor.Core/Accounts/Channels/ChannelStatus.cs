namespace ServerlessMonitor.Core.Accounts.Channels;

public enum ChannelStatus
{
    /// <summary>Added; its address has not confirmed yet. Gets no alerts, and expires with its last link.</summary>
    Pending,

    /// <summary>The address confirmed: alerts go here.</summary>
    Verified,
}
