using BlazorChat.Accounts;
using Microsoft.AspNetCore.Http;

namespace BlazorChat.Tests.Accounts;

public sealed class SameOriginHandshakeTests
{
    private static HttpRequest Request(string? origin, string host = "chat.example:5080", string scheme = "http")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = "/_blazor";
        if (origin is not null)
            context.Request.Headers.Origin = origin;
        return context.Request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://chat.example:5080")]
    [InlineData("HTTP://CHAT.EXAMPLE:5080")]
    public void OwnOriginOrNone_IsAllowed(string? origin) => Assert.True(SameOriginHandshake.IsAllowed(Request(origin), []));

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://chat.example:5081")]
    [InlineData("https://chat.example:5080")]
    [InlineData("http://chat.example.evil.example:5080")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("http://chat.example:5080/path")]
    public void ForeignOrMalformedOrigin_IsRefused(string origin) => Assert.False(SameOriginHandshake.IsAllowed(Request(origin), []));

    [Fact]
    public void DefaultPorts_MatchAnOriginWithoutAPort()
    {
        Assert.True(SameOriginHandshake.IsAllowed(Request("https://chat.example", "chat.example", "https"), []));
        Assert.True(SameOriginHandshake.IsAllowed(Request("http://chat.example", "chat.example"), []));
    }

    [Fact]
    public void AConfiguredOrigin_IsAllowed_AndOnlyThatOne()
    {
        string[] allowed = ["https://proxy.example"];

        Assert.True(SameOriginHandshake.IsAllowed(Request("https://proxy.example"), allowed));
        Assert.False(SameOriginHandshake.IsAllowed(Request("https://proxy.example:8443"), allowed));
    }
}
