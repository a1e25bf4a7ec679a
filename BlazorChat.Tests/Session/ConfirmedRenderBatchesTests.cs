using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Tests.Session;

/// <summary>On Blazor Server's own renderer (<see cref="RealRenderer"/>): confirmed from the test's thread as from SignalR's.</summary>
public sealed class ConfirmedRenderBatchesTests
{
    [Fact]
    public void WithoutRenewal_AQueueThatWasPeekedAt_KeepsWhatWasTakenOffIt()
    {
        // Why this exists: ConcurrentQueue.TryPeek marks the segment as observed, and a dequeue then leaves the item in its slot.
        var queue = new ConcurrentQueue<object>();
        var taken = EnqueuePeekAndDequeue(queue);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.True(queue.IsEmpty);
        Assert.True(taken.IsAlive, "ConcurrentQueue no longer keeps what TryPeek saw: ConfirmedRenderBatches may not be needed any more.");
    }

    [Fact]
    public async Task ConfirmedBatches_AreLetGo_ExceptThoseSinceTheLastRenewal()
    {
        var renderer = RealRenderer.Create();
        var batches = ConfirmedRenderBatches.For(renderer.Circuit);
        Assert.NotNull(batches);
        // 90 batches: without renewals, the queue's second segment (batches 33 to 96) keeps 58 of them.
        var confirmed = await RenderAndConfirmAsync(renderer, batches, 90);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var kept = confirmed.Count(b => b.IsAlive);
        Assert.True(kept <= ConfirmedRenderBatches.RenewEvery, $"{kept} of 90 confirmed batches are still held");
        Assert.Equal(90 / ConfirmedRenderBatches.RenewEvery, batches.Renewals);
        Assert.Equal(0, renderer.Unconfirmed);
    }

    [Fact]
    public async Task AQueueWithABatchOnItsWay_IsKept_AndRenewedAtTheFirstActivityOnceItIsConfirmed()
    {
        var renderer = RealRenderer.Create();
        var batches = ConfirmedRenderBatches.For(renderer.Circuit)!;
        await renderer.Dispatcher.InvokeAsync(() => renderer.Render(1));
        var queue = renderer.Queue;
        for (var i = 0; i < ConfirmedRenderBatches.RenewEvery * 2; i++)
        {
            batches.ActivityRan();
            await renderer.Dispatcher.InvokeAsync(() => { });
        }
        Assert.Same(queue, renderer.Queue);
        Assert.Equal(1, renderer.Unconfirmed);
        Assert.Equal(0, batches.Renewals);

        await renderer.ConfirmAsync(1);
        batches.ActivityRan();
        await renderer.Dispatcher.InvokeAsync(() => { });
        Assert.NotSame(queue, renderer.Queue);
        Assert.Equal(1, batches.Renewals);

        // The renderer goes on with the new queue: its next batch is confirmed from it.
        await renderer.Dispatcher.InvokeAsync(() => renderer.Render(2));
        Assert.Equal(1, renderer.Unconfirmed);
        await renderer.ConfirmAsync(2);
        Assert.Equal(0, renderer.Unconfirmed);
    }

    [Fact]
    public async Task AfterTheCircuitClosed_TheQueueIsTheFrameworks()
    {
        var renderer = RealRenderer.Create();
        var batches = ConfirmedRenderBatches.For(renderer.Circuit)!;
        var queue = renderer.Queue;
        batches.Closed();
        for (var i = 0; i < ConfirmedRenderBatches.RenewEvery * 2; i++)
            batches.ActivityRan();
        await renderer.Dispatcher.InvokeAsync(() => { });
        Assert.Same(queue, renderer.Queue);
        Assert.Equal(0, batches.Renewals);
    }

    [Fact]
    public void ACircuitWithoutItsHost_HasNone()
    {
        Assert.True(ConfirmedRenderBatches.IsSupported, "this framework version's render batch queue was not found");
        Assert.Null(ConfirmedRenderBatches.For((Circuit)RuntimeHelpers.GetUninitializedObject(typeof(Circuit))));
    }

    [Fact]
    public void AsTheServerStarts_ItSaysWhetherConfirmedBatchesAreLetGo_AndWarnsWhenTheFrameworksQueueIsNotWhereItLooks()
    {
        // This framework version: said, and no warning.
        var found = new RecordingLogger<ConfirmedRenderBatchesTests>();
        ConfirmedRenderBatches.ReportSupport(found);
        Assert.Empty(found.Warnings);
        Assert.Contains(found.Messages, m => m.Contains("let go of the render batches their browser confirmed", StringComparison.Ordinal));

        // A version without the queue (a patch the app rolled forward to may rename it): a warning says what that costs.
        var missing = new RecordingLogger<ConfirmedRenderBatchesTests>();
        ConfirmedRenderBatches.ReportSupport(missing, supported: false);
        var warning = Assert.Single(missing.Warnings);
        Assert.Contains("keep every render batch they sent", warning, StringComparison.Ordinal);
        Assert.Contains(typeof(Circuit).Assembly.GetName().Version!.ToString(), warning, StringComparison.Ordinal);
    }

    // Each batch: queued on the dispatcher, confirmed from this thread, then the activity is reported, as the circuit handler does.
    private static async Task<List<WeakReference>> RenderAndConfirmAsync(RealRenderer renderer, ConfirmedRenderBatches batches, int count)
    {
        var confirmed = new List<WeakReference>();
        for (var id = 1; id <= count; id++)
        {
            var batchId = id;
            confirmed.Add(await renderer.Dispatcher.InvokeAsync(() => renderer.Render(batchId)));
            await renderer.ConfirmAsync(id);
            batches.ActivityRan();
        }
        await renderer.Dispatcher.InvokeAsync(() => { });
        return confirmed;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference EnqueuePeekAndDequeue(ConcurrentQueue<object> queue)
    {
        var item = new object();
        queue.Enqueue(item);
        Assert.True(queue.TryPeek(out _));
        Assert.True(queue.TryDequeue(out _));
        return new WeakReference(item);
    }
}

/// <summary>
/// Blazor Server's own renderer (RemoteRenderer) with what its render confirmations use set, in a circuit of its own: its
/// queue of unconfirmed batches, dispatcher, logger and options. Batches are queued on the dispatcher, as the renderer does,
/// and confirmed with the renderer's own OnRenderCompletedAsync.
/// </summary>
internal sealed class RealRenderer
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly Type RendererType = typeof(Circuit).GetField("_circuitHost", Members)!.FieldType.GetProperty("Renderer")!.PropertyType;
    private static readonly FieldInfo QueueField = RendererType.GetField("_unacknowledgedRenderBatches", Members)!;
    private static readonly Type BatchType = QueueField.FieldType.GetGenericArguments()[0];

    private readonly object _renderer;

    private RealRenderer(object renderer, Circuit circuit, Dispatcher dispatcher) =>
        (_renderer, Circuit, Dispatcher) = (renderer, circuit, dispatcher);

    public Circuit Circuit { get; }

    public Dispatcher Dispatcher { get; }

    public object Queue => QueueField.GetValue(_renderer)!;

    public int Unconfirmed => ((ICollection)Queue).Count;

    public static RealRenderer Create()
    {
        var renderer = RuntimeHelpers.GetUninitializedObject(RendererType);
        var dispatcher = Dispatcher.CreateDefault();
        Set(renderer, "<Dispatcher>k__BackingField", dispatcher);
        Set(renderer, "_logger", NullLogger.Instance);
        Set(renderer, "_options", new CircuitOptions());
        Set(renderer, "_rendererIsDisposed", true); // a confirmation asks for pending renders: there are none to make here
        QueueField.SetValue(renderer, Activator.CreateInstance(QueueField.FieldType));
        var host = RuntimeHelpers.GetUninitializedObject(typeof(Circuit).GetField("_circuitHost", Members)!.FieldType);
        Set(host, "<Renderer>k__BackingField", renderer);
        var circuit = (Circuit)RuntimeHelpers.GetUninitializedObject(typeof(Circuit));
        Set(circuit, "_circuitHost", host);
        return new RealRenderer(renderer, circuit, dispatcher);
    }

    /// <summary>Queues a batch as the renderer does (call on the dispatcher); a weak reference to what it holds for it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public WeakReference Render(long id)
    {
        var constructor = BatchType.GetConstructors(Members).Single(c => c.GetParameters().Length == 4);
        var parameters = constructor.GetParameters();
        var data = Activator.CreateInstance(parameters[1].ParameterType, 2048, null)!;
        var completion = new TaskCompletionSource();
        var stopwatch = parameters[3].ParameterType.GetMethod("StartNew", Members)!.Invoke(null, null);
        var batch = constructor.Invoke([id, data, completion, stopwatch]);
        QueueField.FieldType.GetMethod("Enqueue")!.Invoke(Queue, [batch]);
        return new WeakReference(completion);
    }

    /// <summary>The browser confirms batch <paramref name="id"/>: the renderer's own handling of it.</summary>
    public async Task ConfirmAsync(long id)
    {
        var completed = (Task)RendererType.GetMethod("OnRenderCompletedAsync", Members)!.Invoke(_renderer, [id, null])!;
        await completed;
    }

    private static void Set(object target, string name, object? value)
    {
        for (var type = target.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Members | BindingFlags.DeclaredOnly) is { } field)
            {
                field.SetValue(target, value);
                return;
            }
        }
        throw new InvalidOperationException($"{target.GetType().Name} has no field {name}: update these tests to the framework's renderer.");
    }
}
