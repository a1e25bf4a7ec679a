namespace BlazorChat.Tests.Realtime.Core.Support;

/// <summary>A text payload for tests.</summary>
public sealed record TextData(string Value) : EventData;

/// <summary>The <paramref name="Number"/>th event of emitter <paramref name="Emitter"/>: order checks read these.</summary>
public sealed record SequenceData(int Emitter, int Number) : EventData;

/// <summary>What a test client answers to an event sent with an acknowledgement.</summary>
public sealed record ReplyData(string From) : EventData;
