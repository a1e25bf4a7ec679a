using BlazorChat.Accounts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// The open tabs of every node of a cluster (<see cref="ICircuitPlaces"/>), in PostgreSQL (schema migration 5):
/// <c>circuit_places</c> counts each node's tabs per person, and a tab is let in only while the person's count over
/// the live nodes is below the cap. A tab takes its place under a per-person transaction lock
/// (<c>pg_advisory_xact_lock</c>), so two nodes letting in the same person's tabs at once cannot both take the last place.
/// <para>
/// Liveness is the nodes' beat in <c>name_nodes</c>, the table <see cref="PostgresNameClaims"/> keeps: this node beats
/// there too, every <see cref="ClusterTiming.Interval"/>, so it needs nothing else to be counted. The rows of a node
/// that has not beaten for <see cref="ClusterTiming.Timeout"/> no longer count (it died, and its tabs with it), and
/// at each beat the rows of nodes gone from <c>name_nodes</c> (<see cref="PostgresNameClaims"/> prunes it) are
/// deleted. A node that shuts down deletes its own rows.
/// </para>
/// <para>
/// This node keeps its own counts in memory too, and its rows are written from them: a tab that closes while the
/// database is away gives its place back at the next beat that reaches it, and after a gap the node puts back all of
/// its rows (another node may have deleted them meanwhile). When PostgreSQL does not answer within
/// <see cref="Patience"/>, the cap is not a reason to keep people out of the chat: a tab is counted on this node only
/// (up to the cap, and said in the log), and written to the database at the next beat that reaches it. Meanwhile a
/// person may have the cap on this node and more on others.
/// </para>
/// </summary>
public sealed partial class PostgresCircuitPlaces : ICircuitPlaces, IAsyncDisposable
{
    /// <summary>How long a tab waits for the database before it is counted on this node only.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    private readonly PostgresDatabase _database;
    private readonly ClusterTiming _timing;
    private readonly IOptionsMonitor<AccountOptions> _options;
    private readonly ILogger<PostgresCircuitPlaces> _logger;
    private readonly bool _ownsDatabase;
    private readonly NodeHeartbeat _heartbeat;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _mine = new(StringComparer.Ordinal); // this node's tabs per person, under _gate
    private readonly HashSet<string> _unwritten = new(StringComparer.Ordinal); // whose row may differ from _mine, under _gate
    private bool _lastBeatFailed = true; // the first beat is after "nothing" too

    /// <param name="database">The cluster's database.</param>
    /// <param name="nodeId">This node's id among the cluster's (the one it beats under in <c>name_nodes</c>).</param>
    /// <param name="ownsDatabase">Disposes <paramref name="database"/> with itself.</param>
    public PostgresCircuitPlaces(PostgresDatabase database, string nodeId, ClusterTiming timing, IOptionsMonitor<AccountOptions> options,
        TimeProvider time, ILogger<PostgresCircuitPlaces> logger, bool ownsDatabase = false)
    {
        _database = database;
        NodeId = nodeId;
        _timing = timing;
        _options = options;
        _logger = logger;
        _ownsDatabase = ownsDatabase;
        _heartbeat = new NodeHeartbeat(time, timing.Interval, BeatOnceAsync, WriteUnwrittenAsync, ex => LogBeatFailed(ex, NodeId));
        _heartbeat.Start();
    }

    public string NodeId { get; }

    public int Max => Math.Max(1, _options.CurrentValue.MaxCircuitsPerPerson);

    public async Task<bool> TryTakeAsync(string userId, CancellationToken cancellationToken = default)
    {
        var max = Max;
        var counted = false;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            await _heartbeat.FirstBeatAsync(patience.Token); // the row of a node that never beat would not count, and be deleted
            await using var connection = await _database.OpenConnectionAsync(patience.Token);
            await using var transaction = await connection.BeginTransactionAsync(patience.Token);
            await LockPersonAsync(connection, transaction, userId, patience.Token);
            // The other live nodes' tabs come from their rows; this node's own from its memory, which has the tabs it
            // let in while the database was away too (its row has them only after the next beat). It is alive,
            // whatever its last beat says.
            var others = await CountOthersAsync(connection, transaction, userId, patience.Token);
            int tabs;
            lock (_gate)
            {
                tabs = _mine.GetValueOrDefault(userId) + 1;
                if (others + tabs > max)
                    return false; // nothing written: a refusal must not wait on, or fail with, a write
                // Counted before the commit, under the person's lock: a write of this person's row (WriteAsync) waits
                // for the lock, then reads a count that has this tab.
                _mine[userId] = tabs;
                counted = true;
            }
            // The row as this node knows it: with this tab, and any it let in while cut off (they count for the others now).
            await PutRowAsync(connection, transaction, userId, tabs, patience.Token);
            await transaction.CommitAsync(patience.Token);
            return true;
        }
        catch (Exception ex) when ((NodeHeartbeat.IsUnreachable(ex) || ex is OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            LogCountingOnThisNode(ex, NodeId);
            lock (_gate)
            {
                // Counted already, the commit unknown: the tab keeps its place, and the row is written at the next beat.
                if (!counted)
                {
                    var mine = _mine.GetValueOrDefault(userId);
                    if (mine >= max)
                        return false;
                    _mine[userId] = mine + 1;
                }
                _unwritten.Add(userId);
                return true;
            }
        }
    }

    public async Task ReleaseAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_mine.TryGetValue(userId, out var mine))
                return; // none of this person's tabs is on this node
            if (mine <= 1)
                _mine.Remove(userId);
            else
                _mine[userId] = mine - 1;
        }
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            await WriteAsync(userId, patience.Token);
        }
        catch (Exception ex) when (NodeHeartbeat.IsUnreachable(ex) || ex is OperationCanceledException)
        {
            // A closing tab must not fail because the database is away: its place goes at the next beat that reaches it.
            LogReleaseDeferred(ex, NodeId);
            lock (_gate)
                _unwritten.Add(userId);
        }
    }

    /// <summary>Writes this node's row for <paramref name="userId"/> as its memory has it now (none for no tabs).</summary>
    private async Task WriteAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockPersonAsync(connection, transaction, userId, cancellationToken);
        int tabs;
        lock (_gate)
            tabs = _mine.GetValueOrDefault(userId);
        if (tabs > 0)
            await PutRowAsync(connection, transaction, userId, tabs, cancellationToken);
        else
            await ExecuteAsync(connection, transaction, "DELETE FROM circuit_places WHERE user_id = $1 AND node_id = $2",
                cancellationToken, userId, NodeId);
        await transaction.CommitAsync(cancellationToken);
    }

    private Task<int> PutRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, int tabs,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO circuit_places (user_id, node_id, tabs) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, node_id) DO UPDATE SET tabs = EXCLUDED.tabs
            """, cancellationToken, userId, NodeId, tabs);

    /// <summary>The tabs of <paramref name="userId"/> on the other nodes that beat within the timeout.</summary>
    private async Task<long> CountOthersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId,
        CancellationToken cancellationToken)
    {
        await using var command = PostgresSql.Command(connection, """
            SELECT coalesce(sum(p.tabs), 0) FROM circuit_places p
            WHERE p.user_id = $1 AND p.node_id <> $2
              AND EXISTS (SELECT 1 FROM name_nodes n WHERE n.node_id = p.node_id AND n.beat_at > now() - $3)
            """, userId, NodeId, _timing.Timeout);
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Serialises, across nodes, everything that counts or changes one person's places, until the transaction ends.</summary>
    private static Task<int> LockPersonAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('circuit_places:' || $1, 0))",
            cancellationToken, userId);

    /// <summary>Writes the rows that differ from this node's memory: places given back or taken while the database was away.</summary>
    private async Task WriteUnwrittenAsync(CancellationToken cancellationToken)
    {
        string[] unwritten;
        lock (_gate)
        {
            unwritten = [.. _unwritten];
            _unwritten.Clear();
        }
        for (var i = 0; i < unwritten.Length; i++)
        {
            try
            {
                await WriteAsync(unwritten[i], cancellationToken);
            }
            catch
            {
                lock (_gate)
                    _unwritten.UnionWith(unwritten[i..]);
                throw;
            }
        }
    }

    /// <summary>Says this node is alive, and deletes the rows of nodes gone from <c>name_nodes</c>.</summary>
    private async Task BeatOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, """
                INSERT INTO name_nodes (node_id, beat_at) VALUES ($1, now()) ON CONFLICT (node_id) DO UPDATE SET beat_at = now()
                """, cancellationToken, NodeId);
            var dropped = await ExecuteAsync(connection, transaction, """
                DELETE FROM circuit_places c WHERE NOT EXISTS (SELECT 1 FROM name_nodes n WHERE n.node_id = c.node_id)
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (dropped > 0)
                LogDropped(NodeId, dropped);
            if (_lastBeatFailed)
            {
                // Back after a gap (or new): another node may have deleted this one's rows meanwhile. Put them all back.
                lock (_gate)
                    _unwritten.UnionWith(_mine.Keys);
            }
            _lastBeatFailed = false;
        }
        catch
        {
            _lastBeatFailed = true;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _heartbeat.StopAsync();
            // Leaving the cluster: this node's tabs have gone, and their places are free now, not after the timeout.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var connection = await _database.OpenConnectionAsync(bounded.Token);
            await using var command = PostgresSql.Command(connection, "DELETE FROM circuit_places WHERE node_id = $1", NodeId);
            await command.ExecuteNonQueryAsync(bounded.Token);
        }
        catch (Exception ex) when (NodeHeartbeat.IsUnreachable(ex) || ex is OperationCanceledException)
        {
            // The others stop counting this node's places once it stops beating.
        }
        if (_ownsDatabase)
            await _database.DisposeAsync();
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = PostgresSql.Command(connection, sql, values);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 80, Level = LogLevel.Warning,
        Message = "Tabs per person: node {Node} could not reach the database, so it counts a tab against the cap on this node only")]
    private partial void LogCountingOnThisNode(Exception exception, string node);

    [LoggerMessage(EventId = 81, Level = LogLevel.Warning, Message = "Tabs per person: node {Node} will give a tab's place back once the database answers")]
    private partial void LogReleaseDeferred(Exception exception, string node);

    [LoggerMessage(EventId = 82, Level = LogLevel.Warning, Message = "Tabs per person: node {Node} could not beat")]
    private partial void LogBeatFailed(Exception exception, string node);

    [LoggerMessage(EventId = 83, Level = LogLevel.Information, Message = "Tabs per person: node {Node} dropped {Rows} counts of nodes that stopped beating")]
    private partial void LogDropped(string node, int rows);
}
