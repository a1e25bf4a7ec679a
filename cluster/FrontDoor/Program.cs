using BlazorChat.FrontDoor;

// BlazorChat's front door: one address for a cluster of chat nodes (cluster/run.sh starts it). Each browser sticks to
// one node (a cookie), WebSockets pass through, and a node that fails its health check is taken out until it is back.
var builder = WebApplication.CreateBuilder(args);
var nodes = builder.Configuration.GetSection(FrontDoorConfig.NodesSetting).Get<string[]>() ?? [];
builder.Services.AddSingleton<Yarp.ReverseProxy.Health.IAvailableDestinationsPolicy, ReadyNodesPolicy>();
builder.Services.AddReverseProxy().LoadFromMemory(FrontDoorConfig.Routes(), [FrontDoorConfig.Cluster(nodes)])
    .AddTransforms(FrontDoorConfig.NameTheNode);

var app = builder.Build();
app.MapGet("/frontdoor/healthz", () => "alive");
app.MapReverseProxy();
app.Run();
