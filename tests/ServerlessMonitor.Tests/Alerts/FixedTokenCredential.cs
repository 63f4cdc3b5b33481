using Azure.Core;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>A Microsoft Entra credential that hands out one fixed token and remembers the scopes asked for.</summary>
internal sealed class FixedTokenCredential(string token) : TokenCredential
{
    private readonly List<string> scopes = [];

    public IReadOnlyList<string> Scopes
    {
        get
        {
            lock (scopes)
            {
                return [.. scopes];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (scopes)
        {
            scopes.AddRange(requestContext.Scopes);
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
