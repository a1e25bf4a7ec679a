using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Tests on a chat to moderate: Root, whose account holds the admin role; Alice, whose principal claims it but whose
/// account does not; and Bob, with two tabs in "/" and one in a team space. The clock is manual.
/// </summary>
public abstract class ModeratedChatTests : IAsyncLifetime
{
    protected const string Root = "user-root";

    protected ModeratedChatTests() => Chat = new TestChat(access: Accounts, time: Clock);

    protected FakeAccessChecker Accounts { get; } = new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole);

    protected ManualTimeProvider Clock { get; } = new();

    protected TestChat Chat { get; }

    protected ModerationService Moderation => Chat.Moderation!;

    protected TestTab RootTab { get; private set; } = null!;

    protected TestTab Alice { get; private set; } = null!;

    protected TestTab Bob { get; private set; } = null!;

    protected TestTab BobsOtherTab { get; private set; } = null!;

    protected TestTab BobInATeamSpace { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        RootTab = await Chat.ConnectAsync(Root, "Root");
        Alice = await Chat.ConnectAsync("user-alice", "Alice", user: TestChat.Principal("user-alice", ChatHandlers.AdminRole));
        Bob = await Chat.ConnectAsync("user-bob", "Bob");
        BobsOtherTab = await Chat.ConnectAsync("user-bob", "Bob");
        BobInATeamSpace = await Chat.ConnectAsync("user-bob", "Bob", "/tenant-acme");
    }

    public async Task DisposeAsync() => await Chat.DisposeAsync();

    protected async Task<IReadOnlyList<AuditEntry>> AuditAsync() => await Chat.AuditLog!.RecentAsync(100, AuditFilter.All);
}
