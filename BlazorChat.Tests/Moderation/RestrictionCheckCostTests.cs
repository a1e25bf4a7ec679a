using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// The ban and mute checks sit on every event and every send. For someone this node already knows holds nothing (nearly
/// everyone, nearly always) they cost no allocation and hand the rest of the pipeline's own task straight back; a person
/// who holds a restriction still takes the full check (<see cref="BanTests"/> and <see cref="MuteTests"/> prove what
/// it refuses).
/// </summary>
public sealed class RestrictionCheckCostTests : ModeratedChatTests
{
    [Fact]
    public async Task TheEventCheck_ForSomeoneHoldingNothing_PassesTheNextTaskOnAsItIs_WithoutAllocating()
    {
        var check = EventCheck();
        var context = new EventContext(Bob.Socket, new Packet("chat message"));
        await check(context, () => Task.CompletedTask); // the first event reads the store
        await check(context, () => Task.CompletedTask);

        var rest = new TaskCompletionSource();
        Func<Task> next = () => rest.Task;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var passed = check(context, next);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(rest.Task, passed);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task TheEventCheck_OnceTheyAreBanned_TakesTheFullCheck_AndRefuses()
    {
        var check = EventCheck();
        var context = new EventContext(Bob.Socket, new Packet("chat message"));
        await check(context, () => Task.CompletedTask);

        await Moderation.BanAsync(TestChat.Principal(Root), "user-bob", null, "spam");

        var ran = false;
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => check(context, () => { ran = true; return Task.CompletedTask; }));
        Assert.Equal("You are banned: spam", refused.Message);
        Assert.False(ran);
    }

    [Fact]
    public async Task TheMuteCheck_ForSomeoneHoldingNothing_DoesNotAllocate_ButAMuteIsStillRefused()
    {
        await Moderation.EnsureNotMutedAsync("user-bob", null);
        await Moderation.EnsureNotMutedAsync("user-bob", null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var check = Moderation.EnsureNotMutedAsync("user-bob", null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await check;
        Assert.Equal(0, allocated);

        await Moderation.MuteAsync(TestChat.Principal(Root), ChatServer.MainNamespace, null, "user-bob", 10, "calm down");
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.EnsureNotMutedAsync("user-bob", null));
        Assert.Equal("You are muted for 10 more minutes: calm down", refused.Message);
    }

    private EventMiddleware EventCheck()
    {
        var handlers = new CapturedHandlers();
        Moderation.Register(handlers);
        return Assert.Single(handlers.Events);
    }

    /// <summary>What <see cref="ModerationService.Register"/> registers, kept to be called directly.</summary>
    private sealed class CapturedHandlers : INamespaceHandlers
    {
        public List<EventMiddleware> Events { get; } = [];

        public string Label => "captured";

        public INamespaceHandlers UseEvents(EventMiddleware middleware)
        {
            Events.Add(middleware);
            return this;
        }

        public INamespaceHandlers Use(ConnectMiddleware middleware) => this;

        public INamespaceHandlers On(string eventName, ServerEventHandler handler) => this;

        public INamespaceHandlers OnConnection(Func<ChatSocket, Task> handler) => this;

        public INamespaceHandlers OnDisconnecting(Func<ChatSocket, string, Task> hook) => this;

        public INamespaceHandlers OnDisconnect(Func<ChatSocket, string, Task> hook) => this;

        public INamespaceHandlers OnAny(Action<ChatSocket, Packet> listener) => this;

        public INamespaceHandlers OnNodeLeft(Func<ChatNamespace, string, Task> hook) => this;

        public INamespaceHandlers OnDeliveriesMissed(Func<ChatNamespace, Task> hook) => this;
    }
}
