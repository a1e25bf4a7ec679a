namespace BlazorChat.Realtime;

/// <summary>The registry refused an operation; <see cref="Exception.Message"/> is written for the person who asked.</summary>
public sealed class ChatRefusedException(string message) : Exception(message);
