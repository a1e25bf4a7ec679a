using System.Collections.Concurrent;
using BlazorChat.Realtime.Adapters.Cluster;
using Npgsql;

namespace BlazorChat.Realtime.Adapters.Postgres;

/// <summary>
/// Creates <see cref="ClusterAdapter"/>s that meet the other nodes in a PostgreSQL database: one <see cref="PostgresBus"/>
/// per server node (its namespaces share the listening connection), one connection pool for all of them. Disposing the
/// factory closes every adapter it made (each tells the other nodes it left), then the buses.
/// </summary>
public sealed class PostgresAdapterFactory : IChatAdapterFactory, Monitoring.IBacklogSource, IAsyncDisposable
{
    private readonly PostgresAdapterOptions _options;
    private readonly PacketCodec _codec;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly string _connectionString;
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
        _connectionString = BusConnectionString(options.ConnectionString);
        _dataSource = new NpgsqlDataSourceBuilder(_connectionString).UseLoggerFactory(loggers).Build();
    }

    /// <summary>
    /// The bus's own pool, tuned for what it does: NOTIFY, and rows that live 30 s. A NOTIFY commits a transaction, and
    /// by default each commit waits for its WAL record to reach the disk, one after another (PostgreSQL serialises the
    /// commits of notifying transactions): a disk flush per message between nodes. Nothing the bus carries survives a
    /// crash anyway (NOTIFY keeps nothing; what matters is in the store, which keeps its own durable commits), so its
    /// sessions commit without waiting (<c>synchronous_commit=off</c>). Its connections carry no session state either,
    /// so they go back to the pool without a <c>DISCARD ALL</c>.
    /// </summary>
    internal static string BusConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c synchronous_commit=off"
            : builder.Options + " -c synchronous_commit=off";
        return builder.ToString();
    }

    /// <summary>Messages every bus of this factory holds waiting to be published (the cluster's publish backlog).</summary>
    public long Backlog => _buses.Values.Sum(b => (long)b.PublishBacklog);

    public IChatAdapter Create(string @namespace, ILocalConnections connections)
    {
        var bus = _buses.GetOrAdd(connections.ServerId,
            id => new PostgresBus(_dataSource, _connectionString, id, _codec, _options, _time, _loggers.CreateLogger<PostgresBus>()));
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
