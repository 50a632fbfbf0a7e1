using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder between one service and a real server, so a test can cut that service off
/// (a network partition: existing connections drop, new ones are refused) and restore it, without
/// stopping the shared server under the other fixtures.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Server)> _connections = new();
    private volatile bool _open = true;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _open = false;
        foreach (var (id, pair) in _connections)
        {
            pair.Client.Dispose();
            pair.Server.Dispose();
            _connections.TryRemove(id, out _);
        }
    }

    public void Restore() => _open = true;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (!_open)
            {
                client.Dispose();
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        var id = Guid.NewGuid();
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            _connections[id] = (client, server);
            await using var clientStream = client.GetStream();
            await using var serverStream = server.GetStream();
            await Task.WhenAny(clientStream.CopyToAsync(serverStream, _stopping.Token), serverStream.CopyToAsync(clientStream, _stopping.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut or a closed peer ends the connection; that is the point.
        }
        finally
        {
            _connections.TryRemove(id, out _);
            client.Dispose();
            server.Dispose();
        }
    }
}
