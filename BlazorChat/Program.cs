using BlazorChat;
using BlazorChat.Components;

// First, before anything rents from the runtime's shared buffer pool (see SharedBufferPool).
SharedBufferPool.Configure();
var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.Logger.LogInformation("The shared buffer pool keeps up to {Arrays} arrays of each size per core ({Variable})",
    SharedBufferPool.EffectiveArraysPerSizePerCore()?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown number of",
    SharedBufferPool.Variable);
BlazorChat.Session.ConfirmedRenderBatches.ReportSupport(app.Logger);
app.UseApplicationPipeline();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options =>
{
    // The app sends its own, stricter content security policy (frame-ancestors 'none', see SecurityHeaders): no second header.
    options.ContentSecurityFrameAncestorsPolicy = null;
    // No per-message deflate on the circuit's WebSocket, as socket.io and SignalR default. A chat's render batches are
    // small; compressing each one cost a zlib stream kept per connection and CPU on both ends for every message, which
    // at a thousand members was the largest single cost after rendering (docs/benchmarks.md).
    options.DisableWebSocketCompression = true;
}).AnswerHeadLikeGet();
app.Run();

/// <summary>Visible to tests and tools that start the app.</summary>
public partial class Program;
