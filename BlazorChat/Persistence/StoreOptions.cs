namespace BlazorChat.Persistence;

/// <summary>Where and how messages are stored, bound from the "Store" configuration section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>The SQLite database file; relative paths are under the app's content root. Created on first run.</summary>
    public string DatabasePath { get; set; } = "App_Data/blazorchat.db";

    /// <summary>The most appends one transaction commits together (group commit: one fsync for all of them).</summary>
    public int MaxBatch { get; set; } = 256;
}
