namespace BlazorChat.Realtime.Server;

/// <summary>What both a namespace and a dynamic family accept, so one set of handlers can serve either.</summary>
public interface INamespaceHandlers
{
    /// <summary>The namespace's name, or the family's description.</summary>
    string Label { get; }

    INamespaceHandlers Use(ConnectMiddleware middleware);

    /// <summary>Adds an event middleware: it runs before the handler of every event a client sends (socket.io's <c>socket.use</c>).</summary>
    INamespaceHandlers UseEvents(EventMiddleware middleware);

    INamespaceHandlers On(string eventName, ServerEventHandler handler);

    INamespaceHandlers OnConnection(Func<ChatSocket, Task> handler);

    INamespaceHandlers OnDisconnecting(Func<ChatSocket, string, Task> hook);

    INamespaceHandlers OnDisconnect(Func<ChatSocket, string, Task> hook);

    INamespaceHandlers OnAny(Action<ChatSocket, Packet> listener);

    /// <summary>
    /// Runs when another server node leaves the namespace's cluster: it said goodbye, or stopped beating and was dropped.
    /// Its connections are gone with it and their disconnect handlers never ran here: this is where what depends on
    /// who is connected (presence) is brought up to date.
    /// </summary>
    INamespaceHandlers OnNodeLeft(Func<ChatNamespace, string, Task> hook);

    /// <summary>
    /// Runs when this node was cut off from the other nodes for a while and is back: broadcasts sent meanwhile did not
    /// reach its connections. This is where they are told to fetch what is stored (the store is the log).
    /// </summary>
    INamespaceHandlers OnDeliveriesMissed(Func<ChatNamespace, Task> hook);
}
