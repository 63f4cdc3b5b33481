using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// The caller of an authenticated route, known before anything else of the request is read:
/// 401 (with WWW-Authenticate: Bearer) without a valid key; 403 for a read-only key on anything
/// but GET, before the body or a path id is looked at.
/// </summary>
public static partial class Authentication
{
    public static async Task<Caller> CallerAsync(HttpRequest request, Keys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        var header = BearerHeader().Match(request.Headers.Authorization.ToString());
        if (!header.Success)
        {
            throw new Refusal(RefusalKind.Unauthenticated, "unauthenticated", "send an API key: Authorization: Bearer <key>");
        }

        var caller = await keys.AuthenticateAsync(header.Groups[1].Value, cancellationToken).ConfigureAwait(false)
            ?? throw new Refusal(RefusalKind.Unauthenticated, "unauthenticated", "the API key is not valid");
        if (caller.ReadOnly && !HttpMethods.IsGet(request.Method))
        {
            throw new Refusal(RefusalKind.Forbidden, "forbidden", "this API key is read-only");
        }

        return caller;
    }

    [GeneratedRegex(@"^Bearer\s+(\S+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BearerHeader();
}
