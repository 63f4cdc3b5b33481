using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>Which ACS endpoints the app will talk to.</summary>
internal static class AcsEndpoint
{
    /// <summary>
    /// https, or plain http to a loopback address (the tests' fake ACS): a signed request or a
    /// bearer token never crosses a network in clear text.
    /// </summary>
    public static Uri Check(Uri endpoint, string setting)
    {
        var secure = endpoint.IsAbsoluteUri && endpoint.Scheme == Uri.UriSchemeHttps;
        var loopback = endpoint.IsAbsoluteUri && endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback;
        if (!(secure || loopback) || !string.IsNullOrEmpty(endpoint.Query))
        {
            throw new SettingsException(setting, "the ACS endpoint must be an https URL (plain http only to a loopback address)");
        }

        return new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/");
    }
}
