using BlazorChat.Realtime.Server;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR;

namespace BlazorChat.Session;

/// <summary>
/// Tells a circuit where its browser connects from and over what. Blazor's circuit code sees no HTTP request, but the
/// hub calls that start, reconnect or resume a circuit do (a circuit opens its root components, and so runs its
/// handler's <c>OnCircuitOpenedAsync</c>, in <c>UpdateRootComponents</c>): this filter puts their connection's address and transport
/// in an async-local value for exactly those calls, and the circuit's handler (<see cref="ChatCircuitHandler"/>), which
/// runs inside them, keeps it on the tab's session. Other hub calls (events, render acknowledgements) pass untouched.
/// </summary>
public sealed class CircuitOriginFilter : IHubFilter
{
    private static readonly AsyncLocal<ConnectionOrigin?> Current = new();

    /// <summary>The origin of the hub call being handled, when it starts, reconnects or resumes a circuit; else null.</summary>
    public static ConnectionOrigin? Origin => Current.Value;

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethodName is not ("StartCircuit" or "UpdateRootComponents" or "ConnectCircuit" or "ResumeCircuit"))
            return next(invocationContext);
        return WithOriginAsync(invocationContext, next);
    }

    private static async ValueTask<object?> WithOriginAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        Current.Value = OriginOf(invocationContext.Context);
        try
        {
            return await next(invocationContext);
        }
        finally
        {
            Current.Value = null;
        }
    }

    /// <summary>A hub connection's client address and transport.</summary>
    public static ConnectionOrigin OriginOf(HubCallerContext context) =>
        new(context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString(), NameOf(context.Features.Get<IHttpTransportFeature>()?.TransportType));

    private static string? NameOf(HttpTransportType? transport) => transport switch
    {
        HttpTransportType.WebSockets => "WebSockets",
        HttpTransportType.ServerSentEvents => "ServerSentEvents",
        HttpTransportType.LongPolling => "LongPolling",
        _ => null,
    };
}
