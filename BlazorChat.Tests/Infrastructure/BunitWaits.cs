using System.Runtime.CompilerServices;
using Bunit;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// bUnit's WaitFor operations wait 1 second by default. A passing wait returns as soon as its condition holds, so a longer
/// limit costs nothing; but on a loaded machine (a clean-clone CI run: the unit suite beside the build and the browsers)
/// a render the test waits for can take longer than 1 second, and the test failed for no fault of the code
/// (ModerationComponentsTests' ban, once). No test here waits for something not to happen.
/// </summary>
internal static class BunitWaits
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

#pragma warning disable CA2255 // A test assembly's own setting for bUnit, made before any test runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void SetDefault() => BunitContext.DefaultWaitTimeout = Limit;
}
