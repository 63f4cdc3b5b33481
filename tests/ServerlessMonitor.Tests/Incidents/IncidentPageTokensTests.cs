using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>Incident page links: signed, expiring after 30 days, and nothing else passes.</summary>
public sealed class IncidentPageTokensTests
{
    private const string Incident = "mabcdefghijklmnopqrst-29500000";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
    private static readonly IncidentPageTokens Tokens = new(AlertMessagesTests.Secret);

    [Fact]
    public void A_token_names_its_incident_until_it_expires()
    {
        var token = Tokens.Sign(Incident, Now + IncidentPageTokens.Lifetime);
        Assert.Equal(Incident, Tokens.Verify(token, Now));
        Assert.Equal(Incident, Tokens.Verify(token, Now + IncidentPageTokens.Lifetime - TimeSpan.FromSeconds(1)));
        Assert.Null(Tokens.Verify(token, Now + IncidentPageTokens.Lifetime));
    }

    [Fact]
    public void The_link_of_an_alert_works_for_thirty_days_after_it()
    {
        var link = new IncidentLinks(AlertMessagesTests.Config()).For(Incident, Now);
        var token = link[(link.LastIndexOf('/') + 1)..];
        Assert.StartsWith("https://sm-app-weu-x7k2.azurewebsites.net/api/incident-pages/", link, StringComparison.Ordinal);
        Assert.Equal(Incident, Tokens.Verify(token, Now.AddDays(30).AddSeconds(-1)));
        Assert.Null(Tokens.Verify(token, Now.AddDays(30)));
    }

    [Fact]
    public void Every_altered_character_is_refused()
    {
        var token = Tokens.Sign(Incident, Now.AddDays(1));
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var c in "0aZ_-.9m")
            {
                if (token[i] != c)
                {
                    Assert.Null(Tokens.Verify(token[..i] + c + token[(i + 1)..], Now));
                }
            }
        }
    }

    [Fact]
    public void Another_incident_a_later_expiry_another_secret_or_a_confirmation_token_do_not_pass()
    {
        var token = Tokens.Sign(Incident, Now.AddDays(1));
        var parts = token.Split('.');
        Assert.Null(Tokens.Verify($"mabcdefghijklmnopqrst-29500001.{parts[1]}.{parts[2]}", Now));
        Assert.Null(Tokens.Verify($"{parts[0]}.zzzzzz.{parts[2]}", Now));
        Assert.Null(new IncidentPageTokens(AlertMessagesTests.Secret + "x").Verify(token, Now));

        // Same secret, other purpose: a confirmation signer's MAC over the same text is not ours.
        var confirmation = new ConfirmationTokens(AlertMessagesTests.Secret).Sign("fabcdefghijklmnopqrst", Now.AddDays(1));
        Assert.Null(Tokens.Verify(confirmation, Now));
        Assert.Null(Tokens.Verify(null, Now));
        Assert.Null(Tokens.Verify(string.Empty, Now));
        Assert.Null(Tokens.Verify(token + ".", Now));
    }

    [Fact]
    public void Only_incident_ids_are_signed()
    {
        Assert.Throws<ArgumentException>(() => Tokens.Sign("not-an-incident", Now));
        Assert.Throws<ArgumentException>(() => Tokens.Sign("mabcdefghijklmnopqrst-1.2", Now));
    }
}
