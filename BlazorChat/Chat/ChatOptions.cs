namespace BlazorChat.Chat;

/// <summary>Chat settings, bound from the "Chat" configuration section.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>How long a message waits for its recipients' acknowledgements before it shows "not delivered".</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tenants allowed to open a <c>/tenant-{name}</c> namespace; empty allows any valid name.</summary>
    public List<string> AllowedTenants { get; set; } = [];
}
