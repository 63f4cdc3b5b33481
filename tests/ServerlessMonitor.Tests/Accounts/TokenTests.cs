using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>Confirmation tokens, API keys and the sliding window, on their own.</summary>
public sealed class TokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_verifies_until_its_expiry_under_its_own_secret_only()
    {
        var tokens = new ConfirmationTokens(AccountsRuntime.TokenSecret);
        var id = Ids.New(Ids.Confirmation);
        var token = tokens.Sign(id, Now.AddHours(48));

        Assert.Matches(@"^f[a-z0-9]{20}\.[0-9a-z]{1,9}\.[A-Za-z0-9_-]{22}$", token);
        Assert.Equal(id, tokens.Verify(token, Now));
        Assert.Equal(id, tokens.Verify(token, Now.AddHours(48).AddSeconds(-1)));
        Assert.Null(tokens.Verify(token, Now.AddHours(48)));
        Assert.Null(new ConfirmationTokens(AccountsRuntime.TokenSecret + "x").Verify(token, Now));
        Assert.Null(tokens.Verify(token.ToUpperInvariant(), Now));
        Assert.Null(tokens.Verify(string.Empty, Now));
    }

    [Fact]
    public void Api_keys_parse_back_to_their_ids_and_match_only_their_own_hash()
    {
        var accountId = Ids.New(Ids.Account);
        var (text, key) = ApiKey.Generate(accountId);

        var parsed = ApiKey.Parse(text)!;
        Assert.Equal((accountId, key.KeyId, key.Hash), (parsed.AccountId, parsed.KeyId, parsed.Hash));
        Assert.True(parsed.Matches(key.Hash));
        Assert.False(ApiKey.Parse(text[..^1] + (text[^1] == 'A' ? 'B' : 'A'))!.Matches(key.Hash));
        Assert.False(parsed.Matches("not hex"));
        Assert.Null(ApiKey.Parse(text + "x"));
    }

    [Fact]
    public void The_sliding_window_admits_max_per_window_and_says_when_the_oldest_leaves_it()
    {
        var window = new SlidingWindow(3, TimeSpan.FromHours(1));
        DateTimeOffset[] times = [Now.AddMinutes(-70), Now.AddMinutes(-50), Now.AddMinutes(-20), Now.AddMinutes(-5)];

        var (refused, wait) = window.Admit(times, Now);
        Assert.Null(refused);
        Assert.Equal(TimeSpan.FromMinutes(10), wait);

        var (admitted, _) = window.Admit(times, Now.AddMinutes(11));
        Assert.Equal(3, admitted!.Count);
        Assert.Equal(Now.AddMinutes(11), admitted[^1]);
    }
}
