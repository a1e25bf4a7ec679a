using System.Collections.Concurrent;
using BlazorChat.Realtime.Adapters.Cluster;
using Npgsql;

namespace BlazorChat.Realtime.Adapters.Postgres;

/// <summary>
/// Creates <see cref="ClusterAdapter"/>s that meet the other nodes in a PostgreSQL database: one <see cref="PostgresBus"/>
/// per server node (its namespaces share the listening connection), one connection pool for all of them. Disposing the
/// factory closes every adapter it made (each tells the other nodes it left), then the buses.
/// </summary>
public sealed class PostgresAdapterFactory : IChatAdapterFactory, IAsyncDisposable
{
    private readonly PostgresAdapterOptions _options;
    private readonly PacketCodec _codec;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentDictionary<string, PostgresBus> _buses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<ClusterAdapter> _adapters = [];

    internal const string MissingConnectionString =
        "Realtime:Adapter is Postgres but neither Realtime:Postgres:ConnectionString nor Store:ConnectionString is set.";

    /// <exception cref="InvalidOperationException">No connection string.</exception>
    public PostgresAdapterFactory(PostgresAdapterOptions options, PacketCodec codec, ILoggerFactory loggers, TimeProvider? time = null)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException(MissingConnectionString);
        _options = options;
        _codec = codec;
        _loggers = loggers;
        _time = time ?? TimeProvider.System;
        _dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString).UseLoggerFactory(loggers).Build();
    }

    public IChatAdapter Create(string @namespace, ILocalConnections connections)
    {
        var bus = _buses.GetOrAdd(connections.ServerId,
            id => new PostgresBus(_dataSource, id, _codec, _options, _time, _loggers.CreateLogger<PostgresBus>()));
        var adapter = new ClusterAdapter(@namespace, connections, bus, _options, _time, _loggers.CreateLogger<ClusterAdapter>());
        lock (_gate)
        {
            // Dynamic namespaces come and go: forget the adapters the server already closed.
            _adapters.RemoveAll(a => a.IsDisposed);
            _adapters.Add(adapter);
        }
        return adapter;
    }

    public async ValueTask DisposeAsync()
    {
        ClusterAdapter[] adapters;
        lock (_gate)
            adapters = [.. _adapters];
        foreach (var adapter in adapters)
            await adapter.DisposeAsync();
        foreach (var bus in _buses.Values)
            await bus.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
