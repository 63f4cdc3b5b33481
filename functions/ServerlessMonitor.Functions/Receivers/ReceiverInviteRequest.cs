namespace ServerlessMonitor.Functions.Receivers;

/// <param name="Email">The address to invite: trimmed and lower-cased; at most 254 characters.</param>
public sealed record ReceiverInviteRequest(string Email);
