using BlazorChat.Chat;
using BlazorChat.Components.Chat;
using BlazorChat.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;

// Reads the frames the content writes (the RenderTree types are the renderer's; FrameCensus reads them too).
#pragma warning disable BL0006

namespace BlazorChat.Tests.Components;

/// <summary>The conversation region's content, as every member's tab renders it at every message.</summary>
public sealed class ConversationContentTests
{
    private readonly EventCallback<Guid> _retry = EventCallback.Factory.Create<Guid>(new object(), (Guid _) => Task.CompletedTask);
    private readonly EventCallback _older = EventCallback.Factory.Create(new object(), () => Task.CompletedTask);
    private readonly EventCallback _latest = EventCallback.Factory.Create(new object(), () => Task.CompletedTask);
    private readonly Conversation _conversation = new("general", "general", null);
    private readonly Dictionary<Guid, OutgoingMessage> _outgoing = [];
    private readonly RenderTreeBuilder _builder = new();

    [Fact]
    public void Render_GivesTheTranscriptAndTheTypingLineWhatThePageHas()
    {
        var content = new ConversationContent(_retry, _older, _latest);
        IReadOnlyList<Person> typing = [new("user-bob", "Bob")];

        var list = Render(content, outgoingVersion: 7, TimeSpan.FromHours(2), typing);

        Assert.Same(_conversation.Lines, list[nameof(MessageList.Lines)]);
        Assert.Equal("user-ada", list[nameof(MessageList.OwnUserId)]);
        Assert.Same(_outgoing, list[nameof(MessageList.Outgoing)]);
        Assert.Equal(_retry, list[nameof(MessageList.OnRetry)]);
        Assert.Equal(_older, list[nameof(MessageList.OnLoadOlder)]);
        Assert.Equal(_latest, list[nameof(MessageList.OnJumpToLatest)]);
        Assert.Equal(TimeSpan.FromHours(2), list[nameof(MessageList.UtcOffset)]);
        Assert.Equal(false, list[nameof(MessageList.HasOlder)]);
        Assert.Equal(false, list[nameof(MessageList.Detached)]);
        Assert.Null(list[nameof(MessageList.MissedAfter)]);
        Assert.Equal(0L, list[nameof(MessageList.MissedCount)]);
        Assert.Equal((_conversation.Version, _conversation.Rewrites, 7), list[nameof(MessageList.Version)]);
        Assert.Same(typing, TypingIndicatorParameter());
    }

    [Fact]
    public void RenderingAgain_MakesNothingAgain_AndAChangedValueIsTheNewOne()
    {
        var content = new ConversationContent(_retry, _older, _latest);
        Render(content, outgoingVersion: 1, TimeSpan.FromHours(1), []);
        Render(content, outgoingVersion: 1, TimeSpan.FromHours(1), []); // the first comparison makes its comparer, once per process

        var before = GC.GetAllocatedBytesForCurrentThread();
        Build(content, outgoingVersion: 1, TimeSpan.FromHours(1), []);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Markup made three delegates, boxed three callbacks and six values at each render (about 400 bytes).
        Assert.Equal(0, allocated);
        var list = Render(content, outgoingVersion: 2, TimeSpan.FromHours(3), []);
        Assert.Equal(TimeSpan.FromHours(3), list[nameof(MessageList.UtcOffset)]);
        Assert.Equal((_conversation.Version, _conversation.Rewrites, 2), list[nameof(MessageList.Version)]);
    }

    // The MessageList's parameters, by name (the builder is reused: cleared and rendered again, as a region does).
    private Dictionary<string, object?> Render(ConversationContent content, int outgoingVersion, TimeSpan utcOffset, IReadOnlyList<Person> typing)
    {
        Build(content, outgoingVersion, utcOffset, typing);
        return ParametersOf(typeof(MessageList));
    }

    private void Build(ConversationContent content, int outgoingVersion, TimeSpan utcOffset, IReadOnlyList<Person> typing)
    {
        _builder.Clear();
        content.Render(_builder, _conversation, "user-ada", _outgoing, outgoingVersion, utcOffset, typing);
    }

    private object? TypingIndicatorParameter() => ParametersOf(typeof(TypingIndicator))[nameof(TypingIndicator.People)];

    private Dictionary<string, object?> ParametersOf(Type component)
    {
        var frames = _builder.GetFrames();
        var parameters = new Dictionary<string, object?>();
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames.Array[i].FrameType != RenderTreeFrameType.Component || frames.Array[i].ComponentType != component)
                continue;
            for (var a = i + 1; a < i + frames.Array[i].ComponentSubtreeLength; a++)
                parameters[frames.Array[a].AttributeName] = frames.Array[a].AttributeValue;
        }
        return parameters;
    }
}
