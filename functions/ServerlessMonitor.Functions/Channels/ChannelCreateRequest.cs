using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Functions.Channels;

/// <param name="Address">An email address, a phone number in E.164 (+14155550100; spaces, dashes, dots and brackets are removed), or an http(s) webhook URL without credentials; at most 2048 characters.</param>
public sealed record ChannelCreateRequest(ChannelKind Kind, string Address);
