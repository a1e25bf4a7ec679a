using Microsoft.Data.Sqlite;

namespace BlazorChat.Persistence.Sqlite;

/// <summary>
/// One SQL statement prepared once on a connection and run again with new values: SQLite parses it at the first run only,
/// and no command or parameter is made per run. For the writer loop's statements that run for every write (the savepoint
/// around each, a read mark once a second per reader). Not thread-safe: one thread uses it (the writer loop).
/// </summary>
public sealed class PreparedStatement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    /// <param name="connection">The connection it runs on, open.</param>
    /// <param name="sql">The statement; its parameters are named in <paramref name="parameterNames"/>, in the order <see cref="Run"/> takes their values.</param>
    /// <exception cref="ArgumentException">More than three parameters (<see cref="Run"/> takes up to three values).</exception>
    public PreparedStatement(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        if (parameterNames.Length > 3)
            throw new ArgumentException("A prepared statement takes up to three parameters.", nameof(parameterNames));
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _parameters = [.. parameterNames.Select(name => _command.Parameters.Add(new SqliteParameter { ParameterName = name }))];
    }

    /// <summary>Runs the statement in <paramref name="transaction"/> (the connection's current one, or null) with these values.</summary>
    public int Run(SqliteTransaction? transaction, object? first = null, object? second = null, object? third = null)
    {
        _command.Transaction = transaction;
        ReadOnlySpan<object?> values = [first, second, third];
        for (var i = 0; i < _parameters.Length; i++)
            _parameters[i].Value = values[i] ?? DBNull.Value;
        return _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
