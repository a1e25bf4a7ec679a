using Microsoft.Data.Sqlite;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>One message row of the app's SQLite file, as the store wrote it.</summary>
public sealed record StoredRow(string Conversation, long Sequence, string Id, string SenderName, string Text);

/// <summary>
/// The app's database file read from outside the app, the way an operator would after a crash: its own
/// read-only connection, no pooling, so the test never holds the file.
/// </summary>
public static class ChatDatabase
{
    /// <summary>The store key of a room in the main namespace (see ChatHandlers.StoreKey).</summary>
    public static string RoomKey(string room) => $"/#{room}";

    /// <summary>What <c>PRAGMA integrity_check</c> says: "ok", or the problems it found, one a line.</summary>
    public static string IntegrityCheck(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    /// <summary>Every stored message, by conversation then sequence.</summary>
    public static IReadOnlyList<StoredRow> Messages(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT conversation, seq, id, sender_name, text FROM messages ORDER BY conversation, seq;";
        using var reader = command.ExecuteReader();
        var rows = new List<StoredRow>();
        while (reader.Read())
            rows.Add(new StoredRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return rows;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}

/// <summary>
/// Checks a conversation's stored sequence numbers, in the order read, against the promise 1, 2, 3… N: no number
/// missing, none twice, none out of order. (The idea of BlazorChat.Tests' SequenceChecker, for a whole stream at once.)
/// </summary>
public sealed record SequenceReport(long Count, long Highest, long Lost, long Duplicated, long OutOfOrder, long Invalid)
{
    public bool IsClean => Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Invalid == 0;

    public static SequenceReport Of(IEnumerable<long> sequences)
    {
        var seen = new HashSet<long>();
        long count = 0, highest = 0, duplicated = 0, outOfOrder = 0;
        foreach (var sequence in sequences)
        {
            count++;
            if (!seen.Add(sequence))
            {
                duplicated++;
                continue;
            }
            if (sequence < highest)
                outOfOrder++;
            highest = Math.Max(highest, sequence);
        }
        // Every number from 1 to the highest should be there; anything below 1 is not a sequence at all.
        var lost = highest - seen.Count(s => s >= 1);
        return new SequenceReport(count, highest, lost, duplicated, outOfOrder, Invalid: seen.Count(s => s < 1));
    }
}
