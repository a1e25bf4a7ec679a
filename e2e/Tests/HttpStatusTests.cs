using System.Net;
using BlazorChat.E2E.Infrastructure;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// What the published app answers over plain HTTP to addresses and query strings from a corpus of hostile input: a
/// malformed query value is ignored (never a 500), an unknown address is a 404 with the not-found page, HEAD answers as
/// GET does without a body, and the real pages, assets and the circuit's endpoint still work.
/// </summary>
[Collection(ChatServerCollection.Name)]
public sealed class HttpStatusTests(ChatServerFixture server)
{
    // Query strings the sign-in page's one query parameter ("signedOut", a yes/no) cannot make sense of.
    public static TheoryData<string> MalformedSignInQueries => new()
    {
        "?SignedOut=banana",
        "?signedOut=",
        "?signedOut",
        "?signedOut=%ZZ",
        "?signedOut=%00",
        "?signedOut=tr%00ue",
        "?signedOut=1",
        "?signedOut=yes",
        "?signedOut=%E2%80%AEeurt",
        "?signedOut=" + new string('9', 4000),
        "?signedOut=banana&signedOut=true&signedOut=",
        "?signedOut[]=true",
        "?%ZZ=%ZZ&signedOut=%",
    };

    public static TheoryData<string> UnknownAddresses => new()
    {
        "/nope",
        "/account/nope",
        "/account/signin/extra",
        "/a/b/c/d",
        "/not-found/extra",
        "/admin/people/42",
        "/nope.php?x=1",
        "/css/nope.css",
        "/_framework/nope.js",
        "/_content/nope/nope.js",
        "/%E2%80%AE",
        "/%ZZ",
    };

    public static TheoryData<string> Pages => new() { "/", "/account/signin", "/account/register", "/account/signin?signedOut=true" };

    [Theory]
    [MemberData(nameof(MalformedSignInQueries))]
    public async Task TheSignInPage_WithAMalformedQueryValue_AnswersThePage_NotAnError(string query)
    {
        using var http = NewClient();

        using var response = await http.GetAsync("/account/signin" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"signin-title\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("You signed out", page, StringComparison.Ordinal); // the bad value is ignored
    }

    [Theory]
    [InlineData("?signedOut=true")]
    [InlineData("?SignedOut=True")]
    public async Task TheSignInPage_AfterSigningOut_StillSaysSo(string query)
    {
        using var http = NewClient();

        var page = await http.GetStringAsync("/account/signin" + query);

        Assert.Contains("You signed out", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UnknownAddresses))]
    public async Task AnUnknownAddress_Answers404_WithTheNotFoundPage(string address)
    {
        using var http = NewClient();

        using var response = await http.GetAsync(address);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UnknownAddresses))]
    public async Task AnUnknownAddress_AnswersHead_With404AndNoBody(string address)
    {
        using var http = NewClient();

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, address));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task APage_AnswersHead_LikeGet_WithNoBody(string address)
    {
        using var http = NewClient();

        using var get = await http.GetAsync(address);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, address));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    // The chat page is prerendered with its title in the head, and only its body is an interactive root component: the
    // head stays static (an interactive head was seven more components in every circuit; the title follows the page by
    // a script call once the tab is interactive, which PlacesTests checks in a browser).
    [Fact]
    public async Task TheChatPage_IsPrerenderedWithItsTitle_AndOnlyItsBodyIsInteractive()
    {
        using var http = NewClient();

        var page = await http.GetStringAsync("/");

        Assert.Contains("<title>BlazorChat</title>", page, StringComparison.Ordinal);
        var head = page[..page.IndexOf("</head>", StringComparison.Ordinal)];
        Assert.DoesNotContain("<!--Blazor:", head, StringComparison.Ordinal);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page, "<!--Blazor:\\{\"type\":\"server\""));
    }

    [Fact]
    public async Task TheStaticAssets_AndTheCircuitsEndpoint_StillAnswer()
    {
        using var http = NewClient();
        var page = await http.GetStringAsync("/");

        // The page's own script and stylesheet, by the fingerprinted addresses it links.
        foreach (var asset in new[] { """src="(_framework/blazor\.web[^"]*\.js)""", """href="(css/app[^"]*\.css)""", """href="(favicon[^"]*\.svg)""" })
        {
            var address = System.Text.RegularExpressions.Regex.Match(page, asset).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(address), $"the page links no {asset}");
            using var get = await http.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, address));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        using var negotiate = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        Assert.Contains("connectionToken", await negotiate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // Redirects are not followed: the status the server gave is the one checked.
    private HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.App.BaseUri };
}
