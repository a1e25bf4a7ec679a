using Microsoft.Playwright;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>One published app process and one browser, shared by the tests of a collection.</summary>
public sealed class ChatServerFixture : IAsyncLifetime
{
    private AppProcess? _app;

    public AppProcess App => _app ?? throw new InvalidOperationException("Not started.");

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // Real browsers on a shared 2-core machine: be patient, but still fail rather than hang.
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await Browsers.GetAsync();
        _app = await PublishedApp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ChatServerCollection : ICollectionFixture<ChatServerFixture>
{
    public const string Name = "chat server";
}
