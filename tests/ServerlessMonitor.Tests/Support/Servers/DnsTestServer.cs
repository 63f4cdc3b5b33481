using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>
/// An authoritative DNS server on UDP 127.0.0.1 with an ephemeral port: answers from
/// <c>zone</c> (name → records), NXDOMAIN for names it does not know, an empty answer (NODATA)
/// for types a known name lacks, SERVFAIL or REFUSED for names marked so, silence for names
/// marked "drop". The zone may be a ConcurrentDictionary a test changes while the server runs
/// (a listing that is removed).
/// Records are written without name compression: plain, and every resolver reads it.
/// </summary>
public sealed class DnsTestServer : IAsyncDisposable
{
    public const string ServFail = "servfail";
    public const string Drop = "drop";
    public const string Refused = "refused";

    private readonly UdpClient _socket;
    private readonly IReadOnlyDictionary<string, object> _zone;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;

    /// <param name="zone">Name → <see cref="DnsRecord"/>[] or <see cref="ServFail"/> / <see cref="Refused"/> / <see cref="Drop"/>.</param>
    public DnsTestServer(IReadOnlyDictionary<string, object> zone)
    {
        _zone = zone;
        _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Endpoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
        _serving = ServeAsync();
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>"name TYPE" of every question asked, in order.</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _serving.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Answer(received.Buffer) is { } answer)
            {
                await _socket.SendAsync(answer, received.RemoteEndPoint, _stopping.Token).ConfigureAwait(false);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        var (name, type, questionEnd) = ReadQuestion(query);
        Queries.Enqueue($"{name} {DnsRecord.TypeName(type)}");
        _zone.TryGetValue(name, out var entry);
        if (entry is Drop)
        {
            return null;
        }

        var records = entry as DnsRecord[];
        var code = entry switch
        {
            ServFail => 2,
            Refused => 5,
            _ when records is null => 3,
            _ => 0,
        };
        var answers = records?.Where(record => record.Type == type).ToList() ?? [];
        var message = new List<byte>();
        message.AddRange(query.AsSpan(0, 2).ToArray());
        // QR, opcode 0, AA, RD copied, RA; then rcode.
        message.Add((byte)(0x84 | (query[2] & 0x01)));
        message.Add((byte)(0x80 | code));
        message.AddRange([0, 1]);
        message.AddRange(BigEndian((ushort)answers.Count));
        message.AddRange([0, 0, 0, 0]);
        message.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var record in answers)
        {
            message.AddRange(DnsRecord.EncodeName(name));
            message.AddRange(BigEndian(record.Type));
            message.AddRange([0, 1, 0, 0, 0, 60]);
            message.AddRange(BigEndian((ushort)record.Data.Length));
            message.AddRange(record.Data);
        }

        return [.. message];
    }

    private static (string Name, ushort Type, int End) ReadQuestion(byte[] query)
    {
        var labels = new List<string>();
        var at = 12;
        while (query[at] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, at + 1, query[at]));
            at += query[at] + 1;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(at + 1));
        return (string.Join('.', labels).ToLowerInvariant(), type, at + 5);
    }

    private static byte[] BigEndian(ushort value) => [(byte)(value >> 8), (byte)value];
}
