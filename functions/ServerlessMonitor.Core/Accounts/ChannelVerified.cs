namespace ServerlessMonitor.Core.Accounts;

/// <summary>A channel's address agreed: alerts go there from now on.</summary>
public sealed record ChannelVerified(string ChannelId) : Confirmed;
