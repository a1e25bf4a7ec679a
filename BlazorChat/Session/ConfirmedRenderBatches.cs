using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Session;

/// <summary>
/// Lets go of the render batches a tab's browser has confirmed. Blazor Server (RemoteRenderer, .NET 10) keeps a circuit's
/// unconfirmed render batches in a <see cref="ConcurrentQueue{T}"/> and looks at its head with <c>TryPeek</c> at every
/// confirmation. <c>TryPeek</c> marks the queue's segment as observed: from then on a dequeue leaves the batch in its slot,
/// and the segment is never reused. So every batch the circuit rendered (its buffer's holder, its TaskCompletionSource and
/// Task, about 180 bytes) stays reachable until its segment is let go, and segments double (32 slots, 64, ... up to a
/// million): a tab open for a day in a busy room holds hundreds of thousands. In a soak of 200 members at 1,000 deliveries
/// a second they were 45 % of what each garbage collection promoted, and collections took longer for it.
/// </summary>
/// <remarks>
/// <para>
/// Every <see cref="RenewEvery"/> inbound activities (confirmations among them) the circuit's queue, if it is empty, is
/// replaced by a new one, which drops the old one and all it held. It is done on the circuit's dispatcher, where the
/// renderer queues its batches, so nothing is queued meanwhile. Confirmations take batches off the queue on SignalR's thread
/// and only ever take: with the queue empty, every batch they could take is already taken, and the next batch goes to the
/// new queue before the browser can confirm it. A queue that is not empty is tried again at the next activity.
/// </para>
/// <para>
/// The queue is a private field of the framework, found once by reflection. If a framework version has no such field
/// (<see cref="IsSupported"/> is false), nothing is done: the app works as before, with the framework's memory behaviour,
/// and the server says so in its log when it starts (<see cref="ReportSupport(ILogger)"/>): a framework-dependent app rolls
/// forward to the newest patch installed, and a patch may rename the field.
/// </para>
/// </remarks>
public sealed class ConfirmedRenderBatches
{
    /// <summary>How many inbound activities of a circuit go by between two renewals of its queue.</summary>
    public const int RenewEvery = 8;

    private static readonly FrameworkFields? Fields = FrameworkFields.Find();

    private readonly object _renderer;
    private readonly FieldInfo _queue;
    private readonly Dispatcher _dispatcher;
    private readonly Action _renew;
    private int _activities;
    private int _queued; // 1 while a renewal waits on the dispatcher
    private volatile bool _closed;

    /// <summary>Whether this framework version's render batch queue was found (see the remarks).</summary>
    public static bool IsSupported => Fields is not null;

    /// <summary>Says in the server's log, once as it starts, whether confirmed batches are let go on this framework version.</summary>
    public static void ReportSupport(ILogger logger) => ReportSupport(logger, IsSupported);

    /// <summary>Says whether confirmed batches are let go: <paramref name="supported"/>, the framework's queue was found.</summary>
    public static void ReportSupport(ILogger logger, bool supported)
    {
        if (supported)
        {
            logger.LogInformation("Circuits let go of the render batches their browser confirmed (renewed every {Activities} inbound activities)", RenewEvery);
            return;
        }
        logger.LogWarning("This version of Blazor Server ({Version}) has no render batch queue where " + nameof(ConfirmedRenderBatches) + " looks for it: circuits keep every "
            + "render batch they sent until the framework lets go of it, and a busy room's tabs hold more memory and make garbage collections "
            + "longer. The app works otherwise. On the framework version the app was built for (10.0), or with " + nameof(ConfirmedRenderBatches) + " updated for this one, they are let go.",
            typeof(Circuit).Assembly.GetName().Version);
    }

    /// <summary>The confirmed batches of <paramref name="circuit"/>, or null when the framework's queue was not found.</summary>
    public static ConfirmedRenderBatches? For(Circuit circuit) =>
        Fields is { } fields && fields.RendererOf(circuit) is { } renderer && fields.Dispatcher.GetValue(renderer) is Dispatcher dispatcher
            ? new(renderer, dispatcher, fields.Queue)
            : null;

    /// <param name="renderer">A renderer holding its unconfirmed batches in <paramref name="queue"/>, a <see cref="ConcurrentQueue{T}"/>.</param>
    /// <param name="dispatcher">The renderer's dispatcher: where it queues its batches.</param>
    /// <param name="queue">The renderer's field holding the queue.</param>
    internal ConfirmedRenderBatches(object renderer, Dispatcher dispatcher, FieldInfo queue)
    {
        _renderer = renderer;
        _queue = queue;
        _dispatcher = dispatcher;
        _renew = Renew;
    }

    /// <summary>How many times the queue was replaced.</summary>
    public int Renewals { get; private set; }

    /// <summary>An inbound activity of the circuit ran (an event, a JS interop result, a render confirmation).</summary>
    public void ActivityRan()
    {
        if (++_activities < RenewEvery || _closed || Interlocked.Exchange(ref _queued, 1) == 1)
            return;
        _activities = 0;
        _ = _dispatcher.InvokeAsync(_renew);
    }

    /// <summary>The circuit closed: its queue is the framework's to empty.</summary>
    public void Closed() => _closed = true;

    private void Renew()
    {
        Volatile.Write(ref _queued, 0);
        if (_closed)
            return;
        if (((ICollection)_queue.GetValue(_renderer)!).Count != 0)
        {
            _activities = RenewEvery; // a batch is on its way: try again at the next activity
            return;
        }
        _queue.SetValue(_renderer, Activator.CreateInstance(_queue.FieldType));
        Renewals++;
    }

    private sealed record FrameworkFields(FieldInfo Host, PropertyInfo Renderer, PropertyInfo Dispatcher, FieldInfo Queue)
    {
        private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

        public object? RendererOf(Circuit circuit) => Host.GetValue(circuit) is { } host ? Renderer.GetValue(host) : null;

        // Circuit._circuitHost, CircuitHost.Renderer (a RemoteRenderer), its Dispatcher and _unacknowledgedRenderBatches.
        public static FrameworkFields? Find()
        {
            var host = typeof(Circuit).GetField("_circuitHost", Members);
            var renderer = host?.FieldType.GetProperty("Renderer", Members);
            var dispatcher = renderer?.PropertyType.GetProperty("Dispatcher", BindingFlags.Instance | BindingFlags.Public);
            var queue = renderer?.PropertyType.GetField("_unacknowledgedRenderBatches", Members);
            return dispatcher?.PropertyType == typeof(Dispatcher)
                && queue is { FieldType: { IsGenericType: true } type } && type.GetGenericTypeDefinition() == typeof(ConcurrentQueue<>)
                ? new(host!, renderer!, dispatcher, queue)
                : null;
        }
    }
}
