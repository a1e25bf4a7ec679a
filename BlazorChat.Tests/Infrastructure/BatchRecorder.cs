using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;

namespace BlazorChat.Tests.Infrastructure;

// The renderer's own types (Renderer, RenderBatch): the framework's, used here to see what a batch carries.
#pragma warning disable BL0006

/// <summary>
/// A renderer that keeps what each render batch would send to the browser: which elements and components it inserts
/// and removes. bunit re-reads the whole markup after each render, so it cannot tell an element kept from one removed
/// and inserted again; the browser pays for every one of those edits, and this counts them.
/// </summary>
public sealed class BatchRecorder : Renderer
{
    private BatchRecorder(IServiceProvider services) : base(services, NullLoggerFactory.Instance)
    {
    }

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    /// <summary>The edits of the last batch, by kind (inserted and removed frames, text updates, ...).</summary>
    public Dictionary<RenderTreeEditType, int> LastEdits { get; } = [];

    /// <summary>A recorder whose components find an <see cref="IJSRuntime"/> with no browser behind it.</summary>
    public static BatchRecorder Create() =>
        new(new ServiceCollection().AddSingleton<IJSRuntime, NoBrowser>().BuildServiceProvider());

    /// <summary>Renders <typeparamref name="TComponent"/> with <paramref name="parameters"/>; returns its id.</summary>
    public Task<int> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        Dispatcher.InvokeAsync(async () =>
        {
            var component = InstantiateComponent(typeof(TComponent));
            var id = AssignRootComponentId(component);
            await RenderRootComponentAsync(id, ParameterView.FromDictionary(parameters));
            return id;
        });

    /// <summary>Sets the root component's parameters again (it renders what changed).</summary>
    public Task SetParametersAsync(int componentId, IDictionary<string, object?> parameters) =>
        Dispatcher.InvokeAsync(() => RenderRootComponentAsync(componentId, ParameterView.FromDictionary(parameters)));

    /// <summary>The components the last batch rendered, by id.</summary>
    public List<int> LastRendered { get; } = [];

    /// <summary>The frames the last batch carried (elements, attributes, texts, markup and components it inserted).</summary>
    public int LastFrames { get; private set; }

    /// <summary>Elements, texts and components the last batch inserted or removed.</summary>
    public int InsertedAndRemoved =>
        LastEdits.GetValueOrDefault(RenderTreeEditType.PrependFrame) + LastEdits.GetValueOrDefault(RenderTreeEditType.RemoveFrame);

    /// <summary>Elements, texts and components the last batch removed.</summary>
    public int Removed => LastEdits.GetValueOrDefault(RenderTreeEditType.RemoveFrame);

    protected override void HandleException(Exception exception) => throw exception;

    protected override Task UpdateDisplayAsync(in RenderBatch renderBatch)
    {
        LastEdits.Clear();
        LastRendered.Clear();
        LastFrames = renderBatch.ReferenceFrames.Count;
        for (var i = 0; i < renderBatch.UpdatedComponents.Count; i++)
        {
            LastRendered.Add(renderBatch.UpdatedComponents.Array[i].ComponentId);
            var edits = renderBatch.UpdatedComponents.Array[i].Edits;
            for (var e = 0; e < edits.Count; e++)
            {
                var type = edits.Array[edits.Offset + e].Type;
                LastEdits[type] = LastEdits.GetValueOrDefault(type) + 1;
            }
        }
        return Task.CompletedTask;
    }

    private sealed class NoBrowser : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new JSDisconnectedException("No browser in this test.");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new JSDisconnectedException("No browser in this test.");
    }
}
