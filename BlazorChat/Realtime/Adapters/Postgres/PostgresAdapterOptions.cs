using BlazorChat.Realtime.Adapters.Cluster;

namespace BlazorChat.Realtime.Adapters.Postgres;

/// <summary>The PostgreSQL adapter's settings, bound from "Realtime:Postgres" (the heartbeat and request timings included).</summary>
public sealed class PostgresAdapterOptions : ClusterOptions
{
    public const string Section = "Realtime:Postgres";

    /// <summary>The database the nodes meet in; when empty, the store's (<c>Store:ConnectionString</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Starts every channel name: nodes with the same prefix on the same database form one cluster (each namespace has
    /// its own channel, "prefix#/namespace").
    /// </summary>
    public string ChannelPrefix { get; set; } = "blazorchat";

    /// <summary>
    /// A message of at least this many bytes goes through <see cref="PostgresBus.AttachmentTable"/>, and only its row's id
    /// through NOTIFY, whose payload must be shorter than 8,000 bytes.
    /// </summary>
    public int PayloadLimit { get; set; } = PostgresBus.NotifyLimit;

    /// <summary>How long a big message's row is kept for the other nodes to read; older rows are deleted every so often.</summary>
    public TimeSpan AttachmentRetention { get; set; } = TimeSpan.FromSeconds(30);
}
