using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using BlazorChat.E2E.Infrastructure;

namespace BlazorChat.E2E.Tests;

/// <summary>The circuit's transport, as a browser negotiates it.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class TransportTests(ChatServerFixture server)
{
    [Fact]
    public async Task TheCircuitWebSocket_DeclinesPerMessageDeflate_WhenTheClientOffersIt()
    {
        var baseUri = server.App.BaseUri;
        var origin = baseUri.GetLeftPart(UriPartial.Authority);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = baseUri };
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", origin);
        using var negotiated = await http.SendAsync(negotiate, timeout.Token);
        negotiated.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync(timeout.Token));
        var token = body.RootElement.GetProperty("connectionToken").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions(); // what browsers offer: permessage-deflate
        await socket.ConnectAsync(new UriBuilder(baseUri) { Scheme = "ws", Path = "_blazor", Query = $"id={token}" }.Uri, timeout.Token);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.NotNull(socket.HttpResponseHeaders);
        Assert.False(socket.HttpResponseHeaders.ContainsKey("Sec-WebSocket-Extensions"),
            $"the server accepted {string.Join(", ", socket.HttpResponseHeaders.GetValueOrDefault("Sec-WebSocket-Extensions") ?? [])}");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }
}
