using BlazorChat.Accounts;

namespace BlazorChat.Session;

/// <summary>
/// The name a person goes by, for lists that hold only their user id (the dashboard's bans and mutes): their account's
/// display name now; for a guest, the name they chat under now (on any node), else the last one they joined under on
/// this node. Null when none is known (a guest who has not been here since this server started).
/// </summary>
public sealed class PersonNames(IAccountDirectory accounts, DisplayNames names)
{
    public async ValueTask<string?> NameOfAsync(string userId, CancellationToken cancellationToken = default) =>
        (await accounts.FindPersonAsync(userId, cancellationToken))?.DisplayName
        ?? await names.NameOfAsync(userId)
        ?? names.LastNameOf(userId);
}
