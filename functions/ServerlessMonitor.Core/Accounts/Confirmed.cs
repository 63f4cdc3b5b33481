namespace ServerlessMonitor.Core.Accounts;

/// <summary>What confirming a link did; one kind per <see cref="ConfirmationKind"/> family.</summary>
public abstract record Confirmed;

/// <summary>A channel's address agreed: alerts go there from now on.</summary>
public sealed record ChannelVerified(string ChannelId) : Confirmed;
