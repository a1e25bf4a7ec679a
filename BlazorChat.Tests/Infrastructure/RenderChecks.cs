using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// A component's own answer to "render again?", asked directly: the page asks it of its transcript, typing line and
/// people list on every message, and of every transcript block, in every member's tab.
/// </summary>
public static class RenderChecks
{
    private static readonly MethodInfo ShouldRender =
        typeof(ComponentBase).GetMethod("ShouldRender", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>
    /// The bytes this thread allocates asking <paramref name="component"/> <paramref name="times"/> times whether to
    /// render, when nothing changed since it last rendered (asserted).
    /// </summary>
    public static long AllocatedAskingUnchanged(IComponent component, int times = 1_000)
    {
        // Bound to the instance, a virtual method's delegate calls the component's override; calling it allocates nothing.
        var shouldRender = ShouldRender.CreateDelegate<Func<bool>>(component);
        Assert.False(shouldRender());
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < times; i++)
            shouldRender();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
