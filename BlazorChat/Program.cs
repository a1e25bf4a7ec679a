using BlazorChat;
using BlazorChat.Components;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.UseApplicationPipeline();
// The app sends its own, stricter content security policy (frame-ancestors 'none', see SecurityHeaders): no second header.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
app.Run();

/// <summary>Visible to tests and tools that start the app.</summary>
public partial class Program;
