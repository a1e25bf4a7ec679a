namespace BlazorChat.Tests.Session;

/// <summary>
/// The page's one timer per kind of wait: set again rather than made again, its work on the page's dispatcher, and
/// nothing at all (not even a turn on the dispatcher) when it was called off, is not wanted any more, or the page is gone.
/// </summary>
public sealed class PageTimerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private readonly TestPage _page = new();
    private int _ran;
    private bool _wanted = true;

    private PageTimer NewTimer() => new(_page.Time, _page.Page, () => { _ran++; }, () => _wanted);

    [Fact]
    public async Task SetAgainBeforeItRanOut_RunsOnce_TheLastSetWaitAfter_OnTheSameTimer()
    {
        using var timer = NewTimer();
        timer.Set(Wait);
        _page.Time.Advance(Wait / 2);
        timer.Set(Wait);

        _page.Time.Advance(Wait / 2);
        await _page.SettledAsync();
        Assert.Equal(0, _ran);
        _page.Time.Advance(Wait / 2);
        await _page.Dispatched.WaitForCountAsync(1);

        Assert.Equal(1, _ran);
        Assert.Equal(1, _page.Time.CreatedTimers);
        Assert.Equal(0, _page.Time.ActiveTimers);
    }

    [Fact]
    public async Task RunsOnThePagesDispatcher()
    {
        var onDispatcher = false;
        using var timer = new PageTimer(_page.Time, _page.Page, () => { onDispatcher = _page.Dispatcher.CheckAccess(); });

        timer.Set(Wait);
        _page.Time.Advance(Wait);
        await _page.Dispatched.WaitForCountAsync(1);

        Assert.True(onDispatcher);
    }

    [Fact]
    public async Task CalledOff_RunsNothing_UntilSetAgain()
    {
        using var timer = NewTimer();
        timer.Set(Wait);
        timer.Cancel();

        Assert.Equal(0, _page.Time.ActiveTimers);
        _page.Time.Advance(Wait);
        await _page.SettledAsync();
        Assert.Equal(0, _ran);

        timer.Set(Wait);
        _page.Time.Advance(Wait);
        await _page.Dispatched.WaitForCountAsync(1);
        Assert.Equal(1, _ran);
    }

    [Fact]
    public async Task NotWantedWhenItRunsOut_LeavesThePagesDispatcherAlone()
    {
        using var timer = NewTimer();
        timer.Set(Wait);
        _wanted = false;

        _page.Time.Advance(Wait);
        await _page.SettledAsync();

        Assert.Equal(0, _ran);
        Assert.Empty(_page.Dispatched.Items);
    }

    [Fact]
    public async Task ThePageGone_RunsNothing_NorTakesItsDispatcher()
    {
        using var timer = NewTimer();
        timer.Set(Wait);
        _page.Page.Dispose();

        _page.Time.Advance(Wait);
        await _page.SettledAsync();

        Assert.Equal(0, _ran);
        Assert.Empty(_page.Dispatched.Items);
    }

    [Fact]
    public async Task Disposed_RunsNothing()
    {
        var timer = NewTimer();
        timer.Set(Wait);
        timer.Dispose();

        Assert.Equal(0, _page.Time.ActiveTimers);
        _page.Time.Advance(Wait);
        await _page.SettledAsync();
        Assert.Equal(0, _ran);
    }

    [Fact]
    public async Task AFailure_GoesToTheCircuit()
    {
        var failure = new InvalidOperationException("the work failed");
        using var timer = new PageTimer(_page.Time, _page.Page, () => Task.FromException(failure));

        timer.Set(Wait);
        _page.Time.Advance(Wait);

        Assert.Same(failure, (await _page.Failures.WaitForCountAsync(1)).Single());
    }
}
