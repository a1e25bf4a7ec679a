using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Tests.Realtime.Cluster;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>
/// The chat page joining on a node that runs the PostgreSQL adapter (the cluster's, as cluster/run.sh starts it): each
/// broadcast of the connect is delivered to the joining tab first and returns after its NOTIFY, so the connect returns
/// after the tab's events were applied and rendered. Every join must still show the chat, with what was said before.
/// (Before the fix about half of the browser joins stayed on the join form; see ChatPageJoinTests for the same with a
/// round trip of a fixed length.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresChatPageJoinTests(PostgresServer server) : IAsyncLifetime
{
    private const int Joins = 5;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private TestDatabase _database = null!;
    private PostgresAdapterFactory _adapters = null!;
    private TestChat _chat = null!;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _adapters = new PostgresAdapterFactory(PostgresWorlds.Options(_database.ConnectionString), ClusterWorlds.Codec, NullLoggerFactory.Instance);
        _chat = new TestChat(adapters: _adapters);
    }

    public async Task DisposeAsync()
    {
        await _chat.DisposeAsync();
        await _adapters.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task EveryJoinThroughTheForm_ShowsTheChat_WithWhatWasSaidBefore()
    {
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "said before you came");

        for (var i = 0; i < Joins; i++)
        {
            await using var page = new BunitContext();
            page.AddChatUi();
            var session = _chat.NewSession($"user-{i}");
            page.Services.AddSingleton(_chat.Server);
            page.Services.AddSingleton(TimeProvider.System);
            page.Services.AddSingleton(session);
            page.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
            var cut = page.RenderChatPage();

            cut.Find("#display-name").Input($"Person {i}");
            cut.Find("form.join-form").Submit();

            cut.WaitForAssertion(() =>
            {
                Assert.NotNull(cut.Find("#message-input"));
                Assert.Equal(["said before you came"], cut.FindAll("[role=log] article .text").Select(e => e.TextContent));
            }, Wait);
            Assert.True(session.IsJoined);
            await session.LeaveAsync("test over");
        }
    }
}
