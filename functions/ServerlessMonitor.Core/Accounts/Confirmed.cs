namespace ServerlessMonitor.Core.Accounts;

/// <summary>What confirming a link did; one kind per family of <see cref="ConfirmationKind"/>.</summary>
public abstract record Confirmed;
