using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The link an alert carries: <c>&lt;public base&gt;/api/incident-pages/&lt;token&gt;</c>, a page a
/// person can open from a phone with no API key, valid for <see cref="IncidentPageTokens.Lifetime"/>
/// after the alert. Without SM_TOKEN_SECRET there are no links (and no alerts: sign-up needs it too).
/// </summary>
public sealed class IncidentLinks(MonitorConfig config)
{
    private readonly IncidentPageTokens? tokens = config.TokenSecret is { } secret ? new IncidentPageTokens(secret) : null;

    /// <summary>The signer; 503 not_configured without SM_TOKEN_SECRET.</summary>
    public IncidentPageTokens Tokens => tokens ?? throw new Refusal(RefusalKind.Unavailable, "not_configured", "incident pages are unavailable: SM_TOKEN_SECRET is not set");

    /// <summary>The link for an alert sent at <paramref name="at"/>; the expiry is in whole seconds, as the token carries it.</summary>
    public string For(string incidentId, DateTimeOffset at) =>
        $"{config.PublicBase}/api/incident-pages/{Tokens.Sign(incidentId, DateTimeOffset.FromUnixTimeSeconds((at + IncidentPageTokens.Lifetime).ToUnixTimeSeconds()))}";
}
