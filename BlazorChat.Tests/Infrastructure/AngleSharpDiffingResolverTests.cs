using System.Reflection;
using System.Runtime.Loader;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>The registry workaround itself: bunit's request for AngleSharp.Diffing 1.0.0.0 gets the 0.17.0 file.</summary>
public sealed class AngleSharpDiffingResolverTests
{
    [Fact]
    public void Resolve_RequestForVersion1_LoadsTheAssemblyNextToTheTests()
    {
        var request = new AssemblyName($"{AngleSharpDiffingResolver.SimpleName}, Version=1.0.0.0, Culture=neutral, PublicKeyToken=e83494dcdc6d31ea");

        var assembly = AngleSharpDiffingResolver.Resolve(AssemblyLoadContext.Default, request);

        Assert.NotNull(assembly);
        Assert.Equal(AngleSharpDiffingResolver.SimpleName, assembly.GetName().Name);
        Assert.Equal(
            Path.GetDirectoryName(typeof(AngleSharpDiffingResolverTests).Assembly.Location),
            Path.GetDirectoryName(assembly.Location));
    }

    [Fact]
    public void Resolve_OtherAssembly_IsLeftToTheRuntime()
    {
        Assert.Null(AngleSharpDiffingResolver.Resolve(AssemblyLoadContext.Default, new AssemblyName("AngleSharp")));
    }

    [Fact]
    public void Bunit_RequestsAngleSharpDiffingVersion1()
    {
        // When bunit stops asking for 1.x (or the registry serves it), this workaround can go.
        var reference = typeof(Bunit.BunitContext).Assembly.GetReferencedAssemblies()
            .Single(r => r.Name == AngleSharpDiffingResolver.SimpleName);

        Assert.Equal(1, reference.Version!.Major);
    }
}
