using System.Collections.Concurrent;
using BlazorChat.Chat;
using Npgsql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// The display names in use on every node of a cluster (<see cref="INameClaims"/>), in PostgreSQL (schema migration
/// 4): <c>display_names</c> holds each person's name with its two comparison forms, each unique, so two people whose
/// names look the same can never both hold one, whichever nodes they joined through at the same moment;
/// <c>name_claims</c> counts each node's tabs per person. A node beats in <c>name_nodes</c> every
/// <see cref="ClusterTiming.Interval"/>; every node drops the claims of a node that has not beaten for
/// <see cref="ClusterTiming.Timeout"/> (it died), and a name nobody claims any more is free. A person whose node died
/// rejoins under their own name at once on another node: a claim by the same person is another tab.
/// After the database was away (every node's beats failed), a node sweeps nobody until it has beaten twice in a row,
/// so the others have beaten again first, and it puts back whatever of its own claims a sweep took meanwhile: it keeps
/// them in memory too.
/// <see cref="PostgresCircuitPlaces"/> beats in <c>name_nodes</c> too, under the same node id, and counts a person's tabs
/// only on the nodes it finds there: the nodes this class prunes from it lose their tab counts as well.
/// </summary>
public sealed partial class PostgresNameClaims : INameClaims, IAsyncDisposable
{
    public const string Unreachable = "The chat cannot check names right now (its database does not answer). Try again in a moment.";

    private readonly PostgresDatabase _database;
    private readonly ClusterTiming _timing;
    private readonly ILogger<PostgresNameClaims> _logger;
    private readonly NodeHeartbeat _heartbeat;
    private readonly ConcurrentQueue<string> _unreleased = new(); // releases that failed (the database away), tried again at each beat
    private readonly bool _ownsDatabase;
    private readonly Dictionary<string, (string Name, int Tabs)> _mine = new(StringComparer.Ordinal); // under _mineGate
    private readonly Lock _mineGate = new();
    private bool _lastBeatFailed = true; // the first beat is after "nothing" too: it sweeps nobody

    /// <param name="database">The cluster's database.</param>
    /// <param name="nodeId">This node's id among the cluster's.</param>
    /// <param name="ownsDatabase">Disposes <paramref name="database"/> with itself.</param>
    public PostgresNameClaims(PostgresDatabase database, string nodeId, ClusterTiming timing, TimeProvider time, ILogger<PostgresNameClaims> logger,
        bool ownsDatabase = false)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        NodeId = nodeId;
        _timing = timing;
        _logger = logger;
        _heartbeat = new NodeHeartbeat(time, timing.Interval, BeatOnceAsync, ReleaseUnreleasedAsync, ex => LogBeatFailed(ex, NodeId));
        _heartbeat.Start();
    }

    public string NodeId { get; }

    public async Task<string?> ClaimAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        var key = UnicodeText.KeyOf(name);
        try
        {
            await _heartbeat.FirstBeatAsync(cancellationToken); // a claim of a node that never beat would be dropped at the next sweep
            for (var attempt = 0; ; attempt++)
            {
                await using var connection = await _database.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var inserted = await ExecuteAsync(connection, transaction, """
                    INSERT INTO display_names (user_id, name, folded, shape) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
                    """, cancellationToken, userId, name, key.Folded, key.Shape);
                if (inserted == 0)
                {
                    // The person's own name (locked against their last release on another node), or someone else's.
                    var held = await ScalarAsync<string>(connection, transaction,
                        "SELECT name FROM display_names WHERE user_id = $1 FOR UPDATE", cancellationToken, userId);
                    if (held is null)
                    {
                        var taken = await ScalarAsync<string>(connection, transaction,
                            "SELECT name FROM display_names WHERE folded = $1 OR shape = $2 LIMIT 1", cancellationToken, key.Folded, key.Shape);
                        if (taken is not null || attempt >= 2)
                            return NameClaimRefusals.Taken(name);
                        continue; // their own name went with their last tab meanwhile: claim it afresh
                    }
                    if (!string.Equals(held, name, StringComparison.Ordinal))
                        return NameClaimRefusals.AlreadyYours(held);
                }
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO name_claims (user_id, node_id, tabs) VALUES ($1, $2, 1)
                    ON CONFLICT (user_id, node_id) DO UPDATE SET tabs = name_claims.tabs + 1
                    """, cancellationToken, userId, NodeId);
                await transaction.CommitAsync(cancellationToken);
                lock (_mineGate)
                    _mine[userId] = _mine.TryGetValue(userId, out var tabs) ? (name, tabs.Tabs + 1) : (name, 1);
                return null;
            }
        }
        catch (Exception ex) when (NodeHeartbeat.IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogClaimFailed(ex, NodeId);
            return Unreachable;
        }
    }

    public async Task ReleaseAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_mineGate)
        {
            if (!_mine.TryGetValue(userId, out var mine))
                return; // nothing of this person's on this node
            if (mine.Tabs <= 1)
                _mine.Remove(userId);
            else
                _mine[userId] = mine with { Tabs = mine.Tabs - 1 };
        }
        try
        {
            await ReleaseOnceAsync(userId, cancellationToken);
        }
        catch (Exception ex) when (NodeHeartbeat.IsUnreachable(ex))
        {
            // Leaving must not fail because the database is away: the claim goes when it is back (or with this node).
            LogReleaseDeferred(ex, NodeId);
            _unreleased.Enqueue(userId);
        }
    }

    public async Task<string?> NameOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ScalarAsync<string>(connection, null, "SELECT name FROM display_names WHERE user_id = $1", cancellationToken, userId);
    }

    private async Task ReleaseOnceAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The name's row first, so a claim by the same person on another node waits for this, or this for it.
        if (await ScalarAsync<string>(connection, transaction, "SELECT name FROM display_names WHERE user_id = $1 FOR UPDATE",
                cancellationToken, userId) is null)
            return;
        var fewer = await ExecuteAsync(connection, transaction,
            "UPDATE name_claims SET tabs = tabs - 1 WHERE user_id = $1 AND node_id = $2 AND tabs > 1", cancellationToken, userId, NodeId);
        if (fewer == 0)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM name_claims WHERE user_id = $1 AND node_id = $2", cancellationToken, userId, NodeId);
            await ExecuteAsync(connection, transaction, """
                DELETE FROM display_names WHERE user_id = $1 AND NOT EXISTS (SELECT 1 FROM name_claims WHERE user_id = $1)
                """, cancellationToken, userId);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    // After a beat: the releases that failed while the database was away, oldest first.
    private async Task ReleaseUnreleasedAsync(CancellationToken cancellationToken)
    {
        while (_unreleased.TryPeek(out var userId))
        {
            await ReleaseOnceAsync(userId, cancellationToken);
            _unreleased.TryDequeue(out _);
        }
    }

    /// <summary>Says this node is alive, and drops the claims of nodes that stopped saying so (they died).</summary>
    internal async Task BeatOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BeatAndSweepAsync(sweep: !_lastBeatFailed, cancellationToken);
            _lastBeatFailed = false;
        }
        catch
        {
            _lastBeatFailed = true;
            throw;
        }
    }

    private async Task BeatAndSweepAsync(bool sweep, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO name_nodes (node_id, beat_at) VALUES ($1, now()) ON CONFLICT (node_id) DO UPDATE SET beat_at = now()
            """, cancellationToken, NodeId);
        if (!sweep)
        {
            // Back after a gap: another node may have swept this one's claims meanwhile. Put back what is still ours
            // (a name someone else took meanwhile stays theirs).
            (string User, string Name, int Tabs)[] mine;
            lock (_mineGate)
                mine = [.. _mine.Select(m => (m.Key, m.Value.Name, m.Value.Tabs))];
            foreach (var (user, name, tabs) in mine)
            {
                var key = UnicodeText.KeyOf(name);
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO display_names (user_id, name, folded, shape) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
                    """, cancellationToken, user, name, key.Folded, key.Shape);
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO name_claims (user_id, node_id, tabs)
                    SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM display_names WHERE user_id = $1 AND name = $4)
                    ON CONFLICT (user_id, node_id) DO UPDATE SET tabs = EXCLUDED.tabs
                    """, cancellationToken, user, NodeId, tabs, name);
            }
            await transaction.CommitAsync(cancellationToken);
            return;
        }
        await ExecuteAsync(connection, transaction, "DELETE FROM name_nodes WHERE beat_at < now() - $1", cancellationToken, _timing.Timeout);
        var dropped = await ExecuteAsync(connection, transaction, """
            DELETE FROM name_claims c WHERE NOT EXISTS (SELECT 1 FROM name_nodes n WHERE n.node_id = c.node_id)
            """, cancellationToken);
        if (dropped > 0)
        {
            var freed = await ExecuteAsync(connection, transaction, """
                DELETE FROM display_names d WHERE NOT EXISTS (SELECT 1 FROM name_claims c WHERE c.user_id = d.user_id)
                """, cancellationToken);
            LogDropped(NodeId, dropped, freed);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _heartbeat.StopAsync();
            // Leaving the cluster: this node's tabs have gone, and their names are free now, not after the timeout.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var connection = await _database.OpenConnectionAsync(bounded.Token);
            await using var transaction = await connection.BeginTransactionAsync(bounded.Token);
            await ExecuteAsync(connection, transaction, "DELETE FROM name_claims WHERE node_id = $1", bounded.Token, NodeId);
            await ExecuteAsync(connection, transaction, "DELETE FROM name_nodes WHERE node_id = $1", bounded.Token, NodeId);
            await ExecuteAsync(connection, transaction, """
                DELETE FROM display_names d WHERE NOT EXISTS (SELECT 1 FROM name_claims c WHERE c.user_id = d.user_id)
                """, bounded.Token);
            await transaction.CommitAsync(bounded.Token);
        }
        catch (Exception ex) when (NodeHeartbeat.IsUnreachable(ex) || ex is OperationCanceledException)
        {
            // The others drop this node's claims once it stops beating.
        }
        if (_ownsDatabase)
            await _database.DisposeAsync();
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = PostgresSql.Command(connection, sql, values);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params object?[] values) where T : class
    {
        await using var command = PostgresSql.Command(connection, sql, values);
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(cancellationToken) as T;
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Display names: node {Node} could not reach the database to claim a name")]
    private partial void LogClaimFailed(Exception exception, string node);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Display names: node {Node} will release a name once the database answers")]
    private partial void LogReleaseDeferred(Exception exception, string node);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Display names: node {Node} could not beat")]
    private partial void LogBeatFailed(Exception exception, string node);

    [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Display names: node {Node} dropped {Claims} claims of nodes that stopped beating, freeing {Names} names")]
    private partial void LogDropped(string node, int claims, int names);
}

/// <summary>How often a node says it is alive, and after how long without a word it is taken for dead.</summary>
public sealed record ClusterTiming(TimeSpan Interval, TimeSpan Timeout);
