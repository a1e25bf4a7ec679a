using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// REGISTRY WORKAROUND, not a design choice. bunit 2.x is compiled against AngleSharp.Diffing 1.x and asks the
/// loader for assembly version 1.0.0.0, but this machine's package registry only serves AngleSharp.Diffing 0.17.0
/// (see /work/shared/TOOLCHAIN.md, "Component tests"). The default load context will not bind a 1.0.0.0 request
/// to the 0.17.0.0 file, so MarkupMatches would fail to load. This initializer answers that one request with the
/// AngleSharp.Diffing.dll copied next to the test assembly.
/// </summary>
/// <remarks>
/// Under <c>dotnet test</c> the VSTest host's own resolver (registered first) usually answers the request by file
/// name already; this hook makes the test assembly independent of that host detail (other runners, <c>dotnet exec</c>).
/// Delete this file, its test, and the AngleSharp.Diffing pin as soon as the registry serves AngleSharp.Diffing 1.x.
/// </remarks>
internal static class AngleSharpDiffingResolver
{
    internal const string SimpleName = "AngleSharp.Diffing";

#pragma warning disable CA2255 // A module initializer is the only hook that runs before bunit first touches AngleSharp.Diffing.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => AssemblyLoadContext.Default.Resolving += Resolve;

    internal static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, SimpleName, StringComparison.OrdinalIgnoreCase))
            return null;
        var loaded = context.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, SimpleName, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null)
            return loaded;
        var directory = Path.GetDirectoryName(typeof(AngleSharpDiffingResolver).Assembly.Location);
        if (string.IsNullOrEmpty(directory))
            return null;
        var path = Path.Combine(directory, SimpleName + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
