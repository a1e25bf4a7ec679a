namespace BlazorChat.Accounts;

/// <summary>Accounts and access, bound from the "Accounts" configuration section (env vars: <c>Accounts__AllowGuests</c>, ...).</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>The accounts' own SQLite file (not the message store's); relative paths are under the content root.</summary>
    public string DatabasePath { get; set; } = "App_Data/blazorchat-accounts.db";

    /// <summary>Whether people may chat without an account, under a name that lasts for their browser session.</summary>
    public bool AllowGuests { get; set; } = true;

    /// <summary>How many tabs (circuits) one person may have in the chat at once.</summary>
    public int MaxCircuitsPerPerson { get; set; } = 5;

    /// <summary>Origins besides the app's own (scheme://host:port) allowed to open the Blazor connection, e.g. behind a proxy.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The first administrator, created (or given the role) at start-up. No default: nothing is created without it.</summary>
    public AdminAccountOptions Admin { get; set; } = new();
}

/// <summary><c>Accounts:Admin:Email</c> / <c>Accounts:Admin:Password</c> / <c>Accounts:Admin:DisplayName</c>.</summary>
public sealed class AdminAccountOptions
{
    public string? Email { get; set; }

    public string? Password { get; set; }

    public string? DisplayName { get; set; }
}
