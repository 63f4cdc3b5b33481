namespace ServerlessMonitor.Core.Alerts.Acs;

// The JSON of the ACS SMS API (Sms/stable/2021-03-07/communicationservicessms.json): the send
// request, with ACS's repeatability fields per recipient, and the per-recipient results.

internal sealed record AcsSmsSendRequest(string From, IReadOnlyList<AcsSmsRecipient> SmsRecipients, string Message, AcsSmsSendOptions SmsSendOptions);

/// <param name="RepeatabilityFirstSent">An IMF date (RFC 1123), as the spec asks.</param>
internal sealed record AcsSmsRecipient(string To, string RepeatabilityRequestId, string RepeatabilityFirstSent);

internal sealed record AcsSmsSendOptions(bool EnableDeliveryReport);

internal sealed record AcsSmsSendResponse(IReadOnlyList<AcsSmsSendResult>? Value);

internal sealed record AcsSmsSendResult(string? To, string? MessageId, int HttpStatusCode, bool Successful, string? ErrorMessage);
