namespace BlazorChat.Session;

/// <summary>One of your own messages and how its delivery went; enough to retry it with the same id.</summary>
public sealed record OutgoingMessage(Guid Id, string Conversation, string Text, DeliveryState State, int Recipients = 0, int Acknowledged = 0);
