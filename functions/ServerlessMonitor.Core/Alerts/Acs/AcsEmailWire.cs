namespace ServerlessMonitor.Core.Alerts.Acs;

// The JSON of the ACS email API (Email/stable/2023-03-31/CommunicationServicesEmail.json):
// the EmailMessage we send and the EmailSendResult an operation answers.

internal sealed record AcsEmailMessage(string SenderAddress, AcsEmailContent Content, AcsEmailRecipients Recipients);

internal sealed record AcsEmailContent(string Subject, string PlainText, string? Html);

internal sealed record AcsEmailRecipients(IReadOnlyList<AcsEmailAddress> To);

internal sealed record AcsEmailAddress(string Address);

/// <param name="Status">NotStarted, Running, Succeeded, Failed or Canceled.</param>
internal sealed record AcsEmailSendResult(string? Id, string? Status, AcsError? Error);
