namespace BlazorChat.Session;

/// <summary>Where one of your own messages is: on its way, taken by the server, acknowledged by everyone, or not.</summary>
public enum DeliveryState
{
    Sending,
    Sent,
    Delivered,
    NotDelivered,
}
