using Microsoft.AspNetCore.Components;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// The page as its helpers (<see cref="TypingSignals"/>, <see cref="ReadMarks"/>, <see cref="HistoryLoader"/>) see it,
/// for their tests: a real renderer dispatcher, a clock that moves only when the test moves it, the requests they send
/// (each answered by <see cref="Answer"/>), the work they ran on the dispatcher, and the failures they handed over.
/// </summary>
/// <remarks>
/// A timer fires inside <see cref="ManualTimeProvider.Advance"/>, but what waited on it may go on on another thread:
/// wait for the work it dispatches (<see cref="Dispatched"/>) or the request it sends (<see cref="Sent"/>).
/// </remarks>
public sealed class TestPage
{
    private int _dispatched;

    public TestPage()
    {
        Page = new PageDispatcher(async work =>
        {
            await Dispatcher.InvokeAsync(work);
            Dispatched.Add(Interlocked.Increment(ref _dispatched));
        }, ex =>
        {
            Failures.Add(ex);
            return Task.CompletedTask;
        });
        Send = (eventName, request) =>
        {
            Sent.Add(request);
            return Answer(eventName, request);
        };
    }

    public Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    public ManualTimeProvider Time { get; } = new();

    public PageDispatcher Page { get; }

    public SendRequest Send { get; }

    /// <summary>Answers each request sent; by default it is accepted with no reply.</summary>
    public Func<string, ChatEvent, Task<(EventData? Reply, string? Error)>> Answer { get; set; } =
        (_, _) => Task.FromResult<(EventData?, string?)>((null, null));

    /// <summary>The requests sent, in order.</summary>
    public Recorded<ChatEvent> Sent { get; } = new();

    /// <summary>One entry per piece of work the helpers ran on the dispatcher, once it finished.</summary>
    public Recorded<int> Dispatched { get; } = new();

    /// <summary>What the helpers handed to the circuit (DispatchExceptionAsync).</summary>
    public Recorded<Exception> Failures { get; } = new();

    /// <summary>Runs a test's step on the dispatcher, as an event handler of the page would.</summary>
    public Task RunAsync(Func<Task> step) => Dispatcher.InvokeAsync(step);

    /// <inheritdoc cref="RunAsync(Func{Task})"/>
    public Task RunAsync(Action step) => Dispatcher.InvokeAsync(step);

    /// <summary>Whatever a timer set going has run: its continuations, posted to the dispatcher, and what they dispatched.</summary>
    public async Task SettledAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(20);
            await RunAsync(() => { });
        }
    }
}
