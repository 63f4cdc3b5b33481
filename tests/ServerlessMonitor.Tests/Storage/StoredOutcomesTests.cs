using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Cycle;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>How the cycles table packs outcomes: a certificate warning travels with the outcome, rows written before it existed still read, outcomes without one cost nothing more.</summary>
public sealed class StoredOutcomesTests
{
    private static readonly CertificateWarning Warning = new(5, new DateTimeOffset(2026, 12, 5, 10, 11, 12, TimeSpan.Zero), "CN=shop.example.com", new string('A', 64), 14);

    [Fact]
    public void A_certificate_warning_reads_back_with_its_outcome_passing_or_not()
    {
        ProbeOutcome[] outcomes =
        [
            new("m1", null, Warning),
            new("m2", new ProbeError(ErrorClass.Status, "HTTP 503"), Warning with { DaysLeft = 0, Sha256 = new string('B', 64) }),
            new("m3", null),
            new("m4", new ProbeError(ErrorClass.Connect, "refused", "ECONNREFUSED")),
        ];

        var packed = Assert.Single(StoredOutcomes.Pack(outcomes));

        Assert.Equal(outcomes, StoredOutcomes.Unpack(packed));
    }

    [Fact]
    public void Rows_written_before_warnings_existed_read_as_outcomes_without_one()
    {
        const string old = """[{"m":"m1"},{"m":"m2","c":"connect","k":"ECONNREFUSED","e":"refused"}]""";

        Assert.Equal([new ProbeOutcome("m1", null), new ProbeOutcome("m2", new ProbeError(ErrorClass.Connect, "refused", "ECONNREFUSED"))], StoredOutcomes.Unpack(old));
    }

    [Fact]
    public void An_outcome_without_a_warning_packs_as_before_and_one_with_a_warning_adds_a_short_object()
    {
        Assert.Equal("""[{"m":"m1"}]""", Assert.Single(StoredOutcomes.Pack([new ProbeOutcome("m1", null) { Scanned = new ScannedState(MonitorState.Up) }])));

        var packed = Assert.Single(StoredOutcomes.Pack([new ProbeOutcome("m1", null, Warning) { Scanned = new ScannedState(MonitorState.Up) }]));
        Assert.Equal($$$"""[{"m":"m1","w":{"h":"{{{Warning.Sha256}}}","d":5,"x":1796465472,"s":"CN=shop.example.com","t":14}}]""", packed);
    }

    [Fact]
    public void What_the_scan_found_takes_a_few_characters_beside_an_up_monitor_and_reads_back()
    {
        ProbeOutcome[] outcomes =
        [
            new("m1", null) { Scanned = new ScannedState(MonitorState.Up) },
            new("m2", null) { Scanned = new ScannedState(MonitorState.Down, new string('A', 64), 3) },
            new("m3", Reports.Refused) { Scanned = new ScannedState(MonitorState.Unknown) },
            new("m4", null) { Scanned = new ScannedState(MonitorState.Suppressed) },
            new("m5", null),
        ];

        var packed = Assert.Single(StoredOutcomes.Pack(outcomes));

        Assert.StartsWith("""[{"m":"m1"},{"m":"m2","s":"Down","r":{"h":"AAAA""", packed);
        Assert.Equal(outcomes, StoredOutcomes.Unpack(packed, scanned: true));

        // A row written before scans were carried says nothing of them, whatever it holds.
        Assert.All(StoredOutcomes.Unpack(packed), o => Assert.Null(o.Scanned));
    }

    [Fact]
    public void A_long_subject_is_cut_so_one_warning_cannot_crowd_a_row()
    {
        var longSubject = "CN=" + new string('s', 5000);

        var read = Assert.Single(StoredOutcomes.Unpack(Assert.Single(StoredOutcomes.Pack([new ProbeOutcome("m1", null, Warning with { Subject = longSubject })]))));

        Assert.Equal(longSubject[..200], read.Certificate!.Subject);
        Assert.Equal(Warning.Sha256, read.Certificate.Sha256);
    }
}
