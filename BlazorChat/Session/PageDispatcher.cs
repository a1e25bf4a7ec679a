namespace BlazorChat.Session;

/// <summary>
/// What the page's helpers (<see cref="TypingSignals"/>, <see cref="ReadMarks"/>, <see cref="HistoryLoader"/>) need of
/// the component, without knowing it: they run what touches the view on the renderer's dispatcher (the component's
/// <c>InvokeAsync</c>), and hand over the work they start and nobody awaits, whose failure then goes to the circuit
/// (<c>DispatchExceptionAsync</c>) as a lifecycle method's would.
/// </summary>
/// <param name="invoke">Runs work on the renderer's dispatcher.</param>
/// <param name="fail">Where a failure of work nobody awaits goes while the page is there.</param>
public sealed class PageDispatcher(Func<Func<Task>, Task> invoke, Func<Exception, Task> fail) : IDisposable
{
    private volatile bool _disposed;

    /// <summary>The page is gone: nothing it started may show anything, or send what only its screen asked for.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Runs <paramref name="work"/> on the renderer's dispatcher.</summary>
    public Task InvokeAsync(Func<Task> work) => invoke(work);

    /// <inheritdoc cref="InvokeAsync(Func{Task})"/>
    public Task InvokeAsync(Action work) => invoke(() =>
    {
        work();
        return Task.CompletedTask;
    });

    /// <summary>Work an event starts and nobody awaits: a failure goes to the circuit, never lost.</summary>
    public void Observe(Task task)
    {
        if (!task.IsCompletedSuccessfully)
            _ = ObserveAsync(task);
    }

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (!_disposed)
        {
            await fail(ex);
        }
        catch (Exception)
        {
            // The page is gone (a tab closed mid-way): nobody is left to tell.
        }
    }

    public void Dispose() => _disposed = true;
}
