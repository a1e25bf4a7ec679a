// The ASP.NET Core SignalR peer BlazorChat is measured against: a hub that puts every connection in the
// group "general" and broadcasts each message to that group, sender included (what the socket.io chat
// example does). Clients use @microsoft/signalr; the server is the shared framework's SignalR.
//
//   ASPNETCORE_URLS=http://127.0.0.1:5000 ./SignalRPeer
using Microsoft.AspNetCore.SignalR;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// JSON, SignalR's default protocol: the MessagePack hub protocol package is not in the shared framework
// and MessagePack for C# is not served by this machine's registry. The load client speaks JSON to it.
builder.Services.AddSignalR();

var app = builder.Build();
app.MapGet("/", () => "SignalR chat peer");
app.MapHub<ChatHub>("/chat");
app.Run();

/// <summary>One room, like the chat example: join on connect, broadcast to the group.</summary>
internal sealed class ChatHub : Hub
{
    public const string Room = "general";

    public override Task OnConnectedAsync() => Groups.AddToGroupAsync(Context.ConnectionId, Room);

    public Task Send(string text) => Clients.Group(Room).SendAsync("message", text);
}
