namespace BlazorChat.Monitoring;

/// <summary>The Prometheus scrape endpoint, bound from the "Monitoring" configuration section. Off by default.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Serves the chat's metrics for Prometheus at <see cref="PrometheusPath"/> (OpenTelemetry's exporter). Off by default.</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Lets anyone scrape <see cref="PrometheusPath"/> (for a scraper on a private network). Off by default: only a
    /// signed-in person who holds the <c>admin</c> role now gets the metrics.
    /// </summary>
    public bool PrometheusOpen { get; set; }

    /// <summary>Where the scrape endpoint is.</summary>
    public string PrometheusPath { get; set; } = "/metrics";
}
