namespace BlazorChat.Components.Layout;

/// <summary>
/// The parts of <see cref="MainLayout"/> that a page fills with <c>SectionContent</c>: the layout draws the shell,
/// the page (which owns the chat's state) says what goes in it.
/// </summary>
public static class ChatSections
{
    /// <summary>Where the person is: the namespace and the conversation on screen.</summary>
    public const string Title = "chat-title";

    /// <summary>Who the person is, and signing in or out.</summary>
    public const string Account = "chat-account";

    /// <summary>The side panel: namespaces, rooms, direct messages, people.</summary>
    public const string Sidebar = "chat-sidebar";
}
