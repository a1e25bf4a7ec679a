using BlazorChat.Chat;
using BlazorChat.Realtime;

namespace BlazorChat.Session;

/// <summary>
/// Sends one request to the tab's namespace and returns its acknowledgement, or why it was refused: what
/// <see cref="ChatSession.SendAsync"/> does, as the page's helpers need it (and their tests can answer it).
/// </summary>
public delegate Task<(EventData? Reply, string? Error)> SendRequest(string eventName, ChatEvent request);
