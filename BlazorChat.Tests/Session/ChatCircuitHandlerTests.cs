using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Tests.Session;

public sealed class ChatCircuitHandlerTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task CircuitClosed_TakesTheTabOutOfTheChatAtOnce()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var handler = new ChatCircuitHandler(session, NullLogger<ChatCircuitHandler>.Instance);

        await handler.OnCircuitClosedAsync(AnyCircuit(), CancellationToken.None);

        Assert.False(session.IsJoined);
        Assert.Null(_chat.Names.NameOf("user-ada"));
        Assert.Equal("user-ada", (await bob.Events.WaitForAsync<PersonLeft>()).Person.UserId);
    }

    [Fact]
    public async Task ConnectionDown_KeepsTheTabInTheChatForItsReconnect()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var handler = new ChatCircuitHandler(session, NullLogger<ChatCircuitHandler>.Instance);

        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);

        Assert.True(session.IsJoined);
        Assert.Equal(1, _chat.Server.Main.ConnectionCount);
    }

    [Fact]
    public async Task CircuitClosed_BeforeJoining_IsHarmless()
    {
        var session = _chat.NewSession("user-ada");
        var handler = new ChatCircuitHandler(session, NullLogger<ChatCircuitHandler>.Instance);

        await handler.OnCircuitClosedAsync(AnyCircuit(), CancellationToken.None);

        Assert.False(session.IsJoined);
    }

    // Circuit has no public constructor; the handler never looks inside it.
    private static Circuit AnyCircuit() => (Circuit)RuntimeHelpers.GetUninitializedObject(typeof(Circuit));
}
