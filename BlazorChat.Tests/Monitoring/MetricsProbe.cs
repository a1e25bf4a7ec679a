using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BlazorChat.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Monitoring;

/// <summary>
/// A <see cref="ChatMetrics"/> of a test's own (its own meter factory, so its own <see cref="Meter"/>) and a
/// <see cref="MeterListener"/> that hears that meter only: tests running at once never see each other's measurements.
/// Sums what each instrument recorded per tag set, and counts histogram records.
/// </summary>
public sealed class MetricsProbe : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _observed = new(StringComparer.Ordinal);

    public MetricsProbe()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new ChatMetrics(_services.GetRequiredService<IMeterFactory>());
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Metrics.Meter))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public ChatMetrics Metrics { get; }

    /// <summary>The sum of what <paramref name="instrument"/> recorded with tag <paramref name="tag"/> (any tags when null).</summary>
    public double Sum(string instrument, (string Key, string Value)? tag = null) =>
        _sums.Where(e => Matches(e.Key, instrument, tag)).Sum(e => e.Value);

    /// <summary>How many times <paramref name="instrument"/> recorded (a histogram's count), with the tag when given.</summary>
    public int Records(string instrument, (string Key, string Value)? tag = null) =>
        _records.Where(e => Matches(e.Key, instrument, tag)).Sum(e => e.Value);

    /// <summary>What an observable instrument reports now.</summary>
    public double Observe(string instrument)
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
        return _observed.Where(e => Matches(e.Key, instrument, null)).Sum(e => e.Value);
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument.Name + Tags(tags);
        if (instrument.IsObservable)
        {
            _observed.AddOrUpdate(key, value, (_, sum) => sum + value);
            return;
        }
        _sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        _records.AddOrUpdate(key, 1, (_, count) => count + 1);
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = "";
        foreach (var (key, value) in tags)
            text += $"|{key}={value}";
        return text;
    }

    private static bool Matches(string key, string instrument, (string Key, string Value)? tag) =>
        (key == instrument || key.StartsWith(instrument + "|", StringComparison.Ordinal))
        && (tag is not { } t || key.Contains($"|{t.Key}={t.Value}", StringComparison.Ordinal));

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
