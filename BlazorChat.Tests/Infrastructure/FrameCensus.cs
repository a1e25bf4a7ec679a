using System.Collections;
using System.Reflection;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;

namespace BlazorChat.Tests.Infrastructure;

// The renderer's own types (Renderer): the framework's, read here to see what a circuit keeps.
#pragma warning disable BL0006

/// <summary>
/// The render-tree frames a bunit context's components hold now, by component type: what a circuit keeps in memory for
/// what it shows (each component keeps its current tree, and a buffer as large for the next). Read by reflection from
/// the framework's renderer (its private component states), so a test of it names the framework version it was made on.
/// </summary>
public static class FrameCensus
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Frames in use in each component's current tree, summed per component type.</summary>
    public static IReadOnlyDictionary<string, int> Take(BunitContext context) =>
        StatesOf(context).GroupBy(s => s.Component.GetType().Name).ToDictionary(g => g.Key, g => g.Sum(FramesOf), StringComparer.Ordinal);

    /// <summary>Frames in use in the current tree of each component of type <paramref name="componentType"/>.</summary>
    public static IReadOnlyList<int> Each(BunitContext context, string componentType) =>
        [.. StatesOf(context).Where(s => s.Component.GetType().Name == componentType).Select(FramesOf)];

    /// <summary>How many components of each type the renderer holds.</summary>
    public static IReadOnlyDictionary<string, int> Components(BunitContext context) =>
        StatesOf(context).GroupBy(s => s.Component.GetType().Name).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The keys of every <paramref name="element"/> in the components' current trees, in no particular order.</summary>
    public static IReadOnlyList<object> KeysOf(BunitContext context, string element) =>
    [
        .. StatesOf(context).SelectMany(state =>
        {
            var frames = ((RenderTreeBuilder)typeof(ComponentState).GetProperty("CurrentRenderTree", Any)!.GetValue(state)!).GetFrames();
            return frames.Array.Take(frames.Count)
                .Where(f => f.FrameType == RenderTreeFrameType.Element && f.ElementName == element && f.ElementKey is not null)
                .Select(f => f.ElementKey!);
        }),
    ];

    // Every component the context's renderer holds: its private states by component id.
    private static IEnumerable<ComponentState> StatesOf(BunitContext context)
    {
        var renderer = (Renderer)typeof(BunitContext).GetProperty("Renderer", Any)!.GetValue(context)!;
        var states = (IDictionary)typeof(Renderer).GetField("_componentStateById", Any)!.GetValue(renderer)!;
        return states.Values.Cast<ComponentState>();
    }

    private static int FramesOf(ComponentState state)
    {
        var tree = (RenderTreeBuilder)typeof(ComponentState).GetProperty("CurrentRenderTree", Any)!.GetValue(state)!;
        return tree.GetFrames().Count;
    }
}
