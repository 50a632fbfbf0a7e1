using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CustomerSuccess.ServiceDefaults;

/// <summary>
/// Each health check's last result as a gauge (1 healthy, 0.5 degraded, 0 unhealthy), so Prometheus can alert on the
/// database or the broker being down without probing <c>/health/ready</c> itself. The checks run in the background on
/// the health-check publisher's period; a scrape only reads the last results.
/// </summary>
public sealed class HealthStatusGauge : IHealthCheckPublisher
{
    public const string MeterName = "CustomerSuccess.Health";
    private volatile IReadOnlyDictionary<string, HealthStatus> _last = new Dictionary<string, HealthStatus>();

    public HealthStatusGauge(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meters.Create(MeterName).CreateObservableGauge("customersuccess.health.status",
            () => _last.Select(c => new Measurement<double>(Value(c.Value), new KeyValuePair<string, object?>("customersuccess.health.check", c.Key))),
            "1", "Last result of each health check: 1 healthy, 0.5 degraded, 0 unhealthy.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        _last = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    private static double Value(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 1,
        HealthStatus.Degraded => 0.5,
        _ => 0,
    };
}
