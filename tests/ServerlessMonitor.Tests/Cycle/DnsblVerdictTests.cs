using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;
using static ServerlessMonitor.Tests.Cycle.Reports;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// A dnsbl check that reached no list is no information: alone it makes the verdict unknown (which
/// opens and closes nothing); beside a real answer it is not counted. And the alerts say LISTED
/// and DELISTED, with the list's words.
/// </summary>
public sealed class DnsblVerdictTests
{
    private static readonly ProbeError Unchecked = new(ErrorClass.Dns, "no list could be checked", DnsblOutcome.UncheckedCode);
    private static readonly ProbeError Listed = new(ErrorClass.Content, "192.0.2.1 is listed on zen.spamhaus.org: 127.0.0.2 (SBL: …); delist: https://check.spamhaus.org/", DnsblOutcome.ListedCode);

    [Fact]
    public void A_check_that_reached_no_list_is_unknown_not_a_failure()
    {
        var decision = VerdictRules.Decide(7, [Region("eastus", [Failed("m1", Unchecked)])]);
        var verdict = VerdictOf(decision, "m1");
        Assert.Equal(VerdictOutcome.Unknown, verdict.Outcome);
        Assert.Contains(DnsblOutcome.NoInformation, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Beside_an_answer_from_another_region_it_is_not_counted()
    {
        Assert.Equal(VerdictOutcome.Pass, VerdictOf(VerdictRules.Decide(7, [Region("eastus", [Failed("m1", Unchecked)]), Region("westeurope", [Ok("m1")])]), "m1").Outcome);
        var listed = VerdictOf(VerdictRules.Decide(7, [Region("eastus", [Failed("m1", Unchecked)]), Region("westeurope", [Failed("m1", Listed)])]), "m1");
        Assert.Equal(VerdictOutcome.Fail, listed.Outcome);
        Assert.Equal(["westeurope"], listed.Regions);
    }

    [Fact]
    public void A_listing_alerts_as_LISTED_with_the_lists_words_and_a_delisting_as_DELISTED()
    {
        var at = DateTimeOffset.Parse("2026-11-30T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var monitor = new AlertedMonitor("m" + new string('a', 20), "Outbound mail", ProbeType.Dnsbl, "192.0.2.1");
        var failure = new FailureSummary(7, at, [new RegionFailure("eastus", Listed, null, new ProbePhases(12, null, null, null, 12))]);
        var listed = new AlertContent(AlertKind.Failure, monitor, "i", at, at, 1, failure);
        Assert.Equal("LISTED: Outbound mail", AlertMessages.Subject(listed));
        var text = AlertMessages.Text(listed, "https://x/i");
        Assert.Contains("is listed on a blacklist since", text, StringComparison.Ordinal);
        Assert.Contains("What failed: content: 192.0.2.1 is listed on zen.spamhaus.org: 127.0.0.2 (SBL: …); delist: https://check.spamhaus.org/ (LISTED)", text, StringComparison.Ordinal);

        Assert.StartsWith("LISTED 1/4: Outbound mail", AlertSms.Text(listed, "https://x/i"), StringComparison.Ordinal);

        var gone = listed with { Failure = failure with { Regions = [new RegionFailure("eastus", new ProbeError(ErrorClass.Dns, "mail.example.com does not exist (NXDOMAIN)", "ENOTFOUND"), null, failure.Regions[0].Phases)] } };
        Assert.Equal("DOWN: Outbound mail", AlertMessages.Subject(gone));
        Assert.Contains("is failing since", AlertMessages.Text(gone, "https://x/i"), StringComparison.Ordinal);
        Assert.StartsWith("DOWN 1/4", AlertSms.Text(gone, "https://x/i"), StringComparison.Ordinal);

        var delisted = listed with { Kind = AlertKind.Recovery, Sequence = null, Failure = null, At = at.AddHours(4) };
        Assert.Equal("DELISTED: Outbound mail", AlertMessages.Subject(delisted));
        Assert.Contains("is no longer listed on any blacklist checked", AlertMessages.Text(delisted, "https://x/i"), StringComparison.Ordinal);
        Assert.StartsWith("DELISTED: Outbound mail after 240 min", AlertSms.Text(delisted, "https://x/i"), StringComparison.Ordinal);
    }
}
