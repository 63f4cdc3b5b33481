using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>
/// A loopback HTTP target that can be stopped (connections are refused, as when a server is
/// down) and started again on the same port, so a monitor of it sees an outage and its end.
/// Answers every request with 200 "ok" and closes.
/// </summary>
public sealed class StoppableTarget : IAsyncDisposable
{
    private TcpListener? listener;
    private CancellationTokenSource? stop;
    private Task? loop;

    public StoppableTarget()
    {
        Start(0);
    }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public void Start() => Start(Port);

    public async Task StopAsync()
    {
        stop?.Cancel();
        listener?.Stop();
        if (loop is not null)
        {
            await loop;
        }

        listener = null;
        loop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Start(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        stop = new CancellationTokenSource();
        loop = AcceptAsync(listener, stop.Token);
    }

    private static async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = AnswerAsync(socket);
        }
    }

    private static async Task AnswerAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var buffer = new byte[4096];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"), SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The prober gave up or the target was stopped mid-answer.
            }
        }
    }
}
