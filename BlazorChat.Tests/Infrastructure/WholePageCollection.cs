namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// The whole chat page on a real server, store and session (ChatPageTests, ChatPageHistoryTests): each test drives a
/// live namespace with its SQLite store and waits for the page to show what happened. They run on their own, after the
/// test classes that run in parallel, so a neighbour that floods its own store or blocks threads on purpose (the
/// ordering and delivery tests do) cannot stretch a page's round trip past its wait.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholePageCollection
{
    public const string Name = "The whole chat page";
}
