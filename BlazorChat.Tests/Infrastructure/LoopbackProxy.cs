using System.Net;
using System.Net.Sockets;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// A TCP relay on a free loopback port to another loopback port: what a test puts between a node and its database to
/// cut it off (<see cref="Cut"/>: every relayed connection closes, and new ones are refused), as a partition or a
/// frozen process would.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private bool _cut;
    private volatile bool _refusing;

    public LoopbackProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Closes every relayed connection and refuses new ones until <see cref="Resume"/>: a network outage.</summary>
    public void Interrupt()
    {
        List<TcpClient> open;
        lock (_gate)
        {
            _refusing = true;
            open = [.. _open];
            _open.Clear();
        }
        foreach (var client in open)
            client.Dispose();
    }

    /// <summary>The outage is over: new connections are relayed again.</summary>
    public void Resume() => _refusing = false;

    /// <summary>Closes every relayed connection and refuses new ones, for good.</summary>
    public void Cut()
    {
        List<TcpClient> open;
        lock (_gate)
        {
            if (_cut)
                return;
            _cut = true;
            open = [.. _open];
            _open.Clear();
        }
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in open)
            client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_refusing)
            {
                client.Dispose();
                continue;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            lock (_gate)
            {
                if (_cut || _refusing)
                {
                    client.Dispose();
                    upstream.Dispose();
                    continue;
                }
                _open.Add(client);
                _open.Add(upstream);
            }
            _ = RelayAsync(client, upstream);
            _ = RelayAsync(upstream, client);
        }
    }

    private static async Task RelayAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // One end closed or was cut.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
