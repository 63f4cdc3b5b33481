namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// The probe engine's entry point: one probe of one target, answered as a <see cref="ProbeResult"/>.
/// Every failure of the target, a bad target included, is a result with an error class; the
/// whole probe (redirects and STARTTLS included) fits in the spec's timeout, and it leaves no
/// socket behind. Only the caller's own cancellation ends it with an exception.
/// </summary>
public sealed class Prober(IProbeNetwork network, ProbeOptions options, TimeProvider timeProvider)
{
    /// <summary>No probe is allowed more than this, whatever its spec says.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(120);

    public async Task<ProbeResult> ProbeAsync(ProbeSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var timeout = spec.Timeout <= TimeSpan.Zero || spec.Timeout > MaxTimeout ? MaxTimeout : spec.Timeout;
        await using var run = new ProbeRun(network, options, timeProvider, timeout, cancellationToken);
        try
        {
            await Protocol(spec).RunAsync(run).ConfigureAwait(false);
            return run.Result(null);
        }
        catch (ProbeFailure failure)
        {
            return run.Result(failure);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is not (OutOfMemoryException or StackOverflowException))
        {
            return run.Result(run.Classify(error));
        }
    }

    private static IProtocolProbe Protocol(ProbeSpec spec)
    {
        if (!ProbeTarget.TryParse(spec.Type, spec.Target, out var target, out var error))
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"invalid target: {error}");
        }

        var expect = spec.Expect ?? ProbeExpect.None;
        return (spec.Type, target) switch
        {
            (ProbeType.Http or ProbeType.Https, ProbeTarget.Url url) => new HttpProbe(url, expect),
            (ProbeType.Dns, ProbeTarget.Name name) => new DnsProbe(name, expect),
            (ProbeType.Tcp, ProbeTarget.HostPort host) => new TcpProbe(host, expect),
            (ProbeType.Ping, ProbeTarget.HostPort host) => new PingProbe(host),
            (ProbeType.Ftp, ProbeTarget.HostPort host) => new FtpProbe(host, expect),
            (ProbeType.Smtp, ProbeTarget.HostPort host) => new SmtpProbe(host, expect),
            (ProbeType.Pop3, ProbeTarget.HostPort host) => new Pop3Probe(host, expect),
            (ProbeType.Imap, ProbeTarget.HostPort host) => new ImapProbe(host, expect),
            (ProbeType.Telnet, ProbeTarget.HostPort host) => new TelnetProbe(host, expect),
            (ProbeType.Ssh, ProbeTarget.HostPort host) => new SshProbe(host, expect),
            (ProbeType.Dnsbl, ProbeTarget.Name or ProbeTarget.Block) => new DnsblProbe(target, expect),
            _ => throw new ProbeFailure(ErrorClass.Protocol, $"a {spec.Type.Name()} monitor cannot probe this target"),
        };
    }
}
