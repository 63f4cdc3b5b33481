using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// One probe in progress: its clock and deadline, the milestones reached, what it learnt about
/// the target, and everything it opened. Every protocol probe opens connections through here,
/// so resolving, the address policy, connecting, TLS and the phases are done one way for all.
/// Disposing it closes whatever is still open.
/// </summary>
internal sealed class ProbeRun : IAsyncDisposable
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _timeout;
    private readonly List<IDisposable> _owned = [];
    private bool _disposed;

    public ProbeRun(IProbeNetwork network, ProbeOptions options, TimeProvider time, TimeSpan timeout, CancellationToken caller)
    {
        Network = network;
        Options = options;
        Time = time;
        _timeout = timeout;
        _caller = caller;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _deadline.CancelAfter(timeout);
    }

    public IProbeNetwork Network { get; }

    public ProbeOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>Cancelled when the probe's budget runs out or its caller gives up.</summary>
    public CancellationToken Token => _deadline.Token;

    /// <summary>The probe's own budget ran out (not its caller's).</summary>
    public bool TimedOut => _deadline.IsCancellationRequested && !_caller.IsCancellationRequested;

    public double? Dns { get; private set; }

    public double? Connect { get; private set; }

    public double? Tls { get; private set; }

    public double? FirstByte { get; private set; }

    public int? Status { get; set; }

    public string? RemoteAddress { get; set; }

    public string? Server { get; set; }

    public IReadOnlyList<string>? Answers { get; set; }

    public IReadOnlyList<DnsblListing>? Listings { get; set; }

    public CertificateInfo? Certificate { get; set; }

    public CertificateWarning? Warning { get; set; }

    /// <summary>Where the probe is, so an unexpected error gets the right class.</summary>
    public ProbeStage Stage { get; set; }

    /// <summary>What the probe is doing, for the timeout message ("connecting to 192.0.2.1:443").</summary>
    public string Activity { get; set; } = "starting";

    /// <summary>A connection to the target exists: a timeout from now on is the target's.</summary>
    public bool Connected { get; private set; }

    /// <summary>The resolver is the target (a dns monitor with its own server): its silence is the target's.</summary>
    public bool ResolverIsTarget { get; set; }

    /// <summary>Milliseconds since the probe started, to the microsecond.</summary>
    public double Elapsed() => Math.Round(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, 3);

    public void MarkDns() => Dns = Elapsed();

    /// <summary>
    /// TLS is established. A first byte seen before it (a greeting before STARTTLS) no longer
    /// counts: firstByte is the first byte on the channel the conversation ends on, so it never
    /// precedes the handshake.
    /// </summary>
    public void MarkTls()
    {
        Tls = Elapsed();
        FirstByte = null;
    }

    public void MarkFirstByte() => FirstByte ??= Elapsed();

    /// <summary>An HTTP redirect starts a new hop: its milestones and findings replace the last hop's.</summary>
    public void StartHop()
    {
        Dns = Connect = Tls = FirstByte = null;
        Connected = false;
        Status = null;
        Server = null;
        Certificate = null;
        Warning = null;
    }

    /// <summary>Registers something to close when the probe ends (newest first: a TLS stream before its socket).</summary>
    public T Own<T>(T disposable)
        where T : IDisposable
    {
        lock (_owned)
        {
            if (!_disposed)
            {
                _owned.Add(disposable);
                return disposable;
            }
        }

        // A connection that completed after the probe ended (HttpClient connects in the background) is closed at once.
        disposable.Dispose();
        throw new ObjectDisposedException(nameof(ProbeRun));
    }

    /// <summary>Resolves, checks and connects: the opening of every connection-based probe.</summary>
    public async Task<Socket> OpenAsync(string host, int port)
    {
        var addresses = await ResolveAsync(host).ConfigureAwait(false);
        return await ConnectAsync(addresses, port).ConfigureAwait(false);
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> the address policy lets this probe connect to,
    /// in the order to try them; class <c>blocked</c> when there is none. Records the dns
    /// milestone (none for an address literal).
    /// </summary>
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host)
    {
        Stage = ProbeStage.Dns;
        Activity = $"resolving {host}";
        IReadOnlyList<IPAddress> addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            addresses = await NameLookup.AddressesAsync(Network, host, Token).ConfigureAwait(false);
            MarkDns();
        }

        var allowed = addresses.Where(address => AddressPolicy.IsAllowed(address, Options.AllowPrivateTargets)).ToList();
        if (allowed.Count > 0)
        {
            return allowed;
        }

        var first = addresses[0];
        RemoteAddress = first.ToString();
        var reason = AddressPolicy.BlockedReason(first, Options.AllowPrivateTargets);
        var subject = literal is null ? $"{host} resolves to {first}, which" : first.ToString();
        throw new ProbeFailure(ErrorClass.Blocked, $"{subject} is a {reason} address that monitors may not probe");
    }

    /// <summary>
    /// Connects to the first address that accepts, moving on only when one fails at once
    /// (refused, unreachable); a silent address uses up the probe's time.
    /// </summary>
    public async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port)
    {
        Stage = ProbeStage.Connect;
        ProbeFailure? failure = null;
        foreach (var address in addresses)
        {
            var endpoint = new IPEndPoint(address, port);
            Activity = $"connecting to {endpoint}";
            RemoteAddress = address.ToString();
            try
            {
                var socket = Own(await Network.ConnectAsync(endpoint, Token).ConfigureAwait(false));
                Connect = Elapsed();
                Connected = true;
                return socket;
            }
            catch (SocketException error)
            {
                failure = Classify(error);
                if (failure.Class != ErrorClass.Connect)
                {
                    throw failure;
                }
            }
        }

        throw failure ?? new ProbeFailure(ErrorClass.Connect, "no address to connect to");
    }

    /// <summary>Runs the TLS handshake over a connected stream and takes the verdict on the certificate for <paramref name="host"/>.</summary>
    public async Task<SslStream> StartTlsAsync(Stream inner, string host, int warningDays = CertificateCheck.DefaultWarningDays)
    {
        Stage = ProbeStage.Tls;
        Activity = "in the TLS handshake";
        var check = NewCertificateCheck(host, warningDays);
        var secure = Own(new SslStream(inner, leaveInnerStreamOpen: false));
        try
        {
            await secure.AuthenticateAsClientAsync(check.ClientOptions(), Token).ConfigureAwait(false);
        }
        catch (Exception) when (check.Failure is { } refused)
        {
            throw refused;
        }
        finally
        {
            TakeCertificate(check);
        }

        MarkTls();
        Stage = ProbeStage.Exchange;
        return secure;
    }

    /// <summary>The check for a handshake to <paramref name="host"/>; certificates name hosts without the root's trailing dot.</summary>
    public CertificateCheck NewCertificateCheck(string host, int warningDays) =>
        new(host.TrimEnd('.'), Options, Time, warningDays);

    public void TakeCertificate(CertificateCheck check)
    {
        Certificate = check.Certificate ?? Certificate;
        Warning = check.Warning;
    }

    /// <summary>Turns whatever was thrown into a failure of the right class for the stage the probe was in.</summary>
    public ProbeFailure Classify(Exception error)
    {
        if (ExceptionChain.Find<ProbeFailure>(error) is { } failure)
        {
            return failure;
        }

        if (TimedOut)
        {
            return TimeoutFailure();
        }

        var socket = ExceptionChain.Find<SocketException>(error);
        var code = socket is null ? null : SocketErrorCodes.Name(socket.SocketErrorCode);
        if (socket is not null && SocketErrorCodes.IsOurNetwork(socket.SocketErrorCode))
        {
            return new ProbeFailure(ErrorClass.Connect, $"{SocketErrorCodes.Describe(socket.SocketErrorCode)} ({Activity})", code);
        }

        return Stage switch
        {
            ProbeStage.Dns => new ProbeFailure(ErrorClass.Dns, $"name resolution failed: {error.Message}", code),
            ProbeStage.Connect when socket?.SocketErrorCode == SocketError.TimedOut =>
                new ProbeFailure(ErrorClass.Timeout, "no answer to the connection attempt", "ETIMEDOUT"),
            ProbeStage.Connect => new ProbeFailure(ErrorClass.Connect, socket is null ? $"could not connect: {error.Message}" : SocketErrorCodes.Describe(socket.SocketErrorCode), code),
            ProbeStage.Tls when socket?.SocketErrorCode == SocketError.ConnectionReset =>
                new ProbeFailure(ErrorClass.Tls, "connection reset during the TLS handshake", code),
            ProbeStage.Tls => new ProbeFailure(ErrorClass.Tls, $"TLS handshake failed: {ExceptionChain.Innermost(error).Message}", code),
            _ when ExceptionChain.Find<AuthenticationException>(error) is { } tls => new ProbeFailure(ErrorClass.Tls, $"TLS error: {tls.Message}", code),
            _ when socket?.SocketErrorCode == SocketError.ConnectionReset => new ProbeFailure(ErrorClass.Protocol, "connection reset by the server", code),
            _ => new ProbeFailure(ErrorClass.Protocol, socket is null ? ExceptionChain.Innermost(error).Message : SocketErrorCodes.Describe(socket.SocketErrorCode), code),
        };
    }

    /// <summary>
    /// Before a connection exists the silence may be ours (routing, a dead resolver): the
    /// ETIMEDOUT code tells the cycle so. After connecting, the target was too slow.
    /// </summary>
    public ProbeFailure TimeoutFailure()
    {
        var seconds = _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return Connected || ResolverIsTarget
            ? new ProbeFailure(ErrorClass.Timeout, $"no answer within {seconds} s ({Activity})")
            : new ProbeFailure(ErrorClass.Timeout, $"no connection within {seconds} s ({Activity})", "ETIMEDOUT");
    }

    public ProbeResult Result(ProbeFailure? failure) => new()
    {
        Ok = failure is null,
        Error = failure?.ToError(),
        Phases = new ProbePhases(Dns, Connect, Tls, FirstByte, Elapsed()),
        Status = Status,
        RemoteAddress = RemoteAddress,
        Server = Server,
        Answers = Answers,
        Listings = Listings,
        Certificate = Certificate,
        CertificateWarning = Warning,
    };

    public ValueTask DisposeAsync()
    {
        IDisposable[] owned;
        lock (_owned)
        {
            _disposed = true;
            owned = [.. _owned];
            _owned.Clear();
        }

        for (var i = owned.Length - 1; i >= 0; i--)
        {
            try
            {
                owned[i].Dispose();
            }
            catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException)
            {
                // Closing is best effort: the result stands either way, and the handle is released.
            }
        }

        _deadline.Dispose();
        return ValueTask.CompletedTask;
    }
}
