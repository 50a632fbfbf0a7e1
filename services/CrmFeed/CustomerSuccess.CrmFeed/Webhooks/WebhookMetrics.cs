using System.Diagnostics;
using System.Diagnostics.Metrics;
using CustomerSuccess.CrmFeed.Store;

namespace CustomerSuccess.CrmFeed.Webhooks;

/// <summary>
/// Webhook attempts and their outcomes as they happen, and the deliveries waiting and the endpoints disabled as read by
/// <see cref="WebhookBacklogGauge"/> (a scrape never queries the database). Endpoint ids never become labels: their
/// number is unbounded; the delivery log (<c>GET /v1/webhooks/{id}/deliveries</c>) answers per endpoint.
/// </summary>
public sealed class WebhookMetrics
{
    public const string MeterName = "CustomerSuccess.CrmFeed";
    private const string OutcomeTag = "customersuccess.webhook.outcome";
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _disabled;
    private volatile WebhookBacklog? _backlog;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _attempts = meter.CreateCounter<long>("customersuccess.webhook.attempts", "{attempt}",
            "Webhook delivery attempts, by outcome: delivered (2xx), retry (failed, another attempt scheduled), failed (failed, none left or 410), not_recorded (the outcome could not be stored; attempted again after the lease).");
        _duration = meter.CreateHistogram<double>("customersuccess.webhook.attempt.duration", "s",
            "Time from sending a delivery to the receiver's answer (or the attempt's timeout).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15] });
        _disabled = meter.CreateCounter<long>("customersuccess.webhook.endpoints.disabled", "{endpoint}",
            "Endpoints this instance disabled (410 Gone, or failing without a success for CrmFeed:DisableAfter).");
        meter.CreateObservableGauge("customersuccess.webhook.deliveries.pending", () => Backlog(b => b.Pending), "{delivery}",
            "Deliveries waiting for an attempt (including retries scheduled later) on enabled endpoints.");
        meter.CreateObservableGauge("customersuccess.webhook.deliveries.oldest_pending.age", () => Backlog(b => b.OldestPendingAge.TotalSeconds), "s",
            "Age of the oldest delivery still waiting on an enabled endpoint (0 when none waits).");
        meter.CreateObservableGauge("customersuccess.webhook.deliveries.failed", () => Backlog(b => b.Failed), "{delivery}",
            "Deliveries that gave up (schedule exhausted, 410, endpoint disabled) and wait for a retry or a recovery.");
        meter.CreateObservableGauge("customersuccess.webhook.endpoints", () => BacklogEndpoints(), "{endpoint}",
            "Registered endpoints by state (enabled, disabled).");
    }

    public void Attempted(AttemptOutcome outcome, string recordedStatus)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var label = outcome.Succeeded ? "delivered" : recordedStatus == DeliveryStatus.Pending ? "retry" : "failed";
        _attempts.Add(1, new KeyValuePair<string, object?>(OutcomeTag, label));
        _duration.Record(outcome.LatencyMs / 1000.0, new KeyValuePair<string, object?>(OutcomeTag, label));
    }

    public void NotRecorded() => _attempts.Add(1, new KeyValuePair<string, object?>(OutcomeTag, "not_recorded"));

    public void Disabled(string reason) =>
        _disabled.Add(1, new KeyValuePair<string, object?>("customersuccess.webhook.disabled_reason", reason));

    /// <summary>The latest reading of the delivery tables; null while the database cannot be read (the gauges report nothing).</summary>
    public void Observed(WebhookBacklog? backlog) => _backlog = backlog;

    private IEnumerable<Measurement<T>> Backlog<T>(Func<WebhookBacklog, T> value)
        where T : struct =>
        _backlog is { } backlog ? [new Measurement<T>(value(backlog))] : [];

    private IEnumerable<Measurement<long>> BacklogEndpoints() =>
        _backlog is { } backlog
            ?
            [
                new Measurement<long>(backlog.EnabledEndpoints, new TagList { { "customersuccess.webhook.endpoint_state", "enabled" } }),
                new Measurement<long>(backlog.DisabledEndpoints, new TagList { { "customersuccess.webhook.endpoint_state", "disabled" } }),
            ]
            : [];
}

/// <summary>One reading of the delivery tables.</summary>
public sealed record WebhookBacklog(long Pending, TimeSpan OldestPendingAge, long Failed, long EnabledEndpoints, long DisabledEndpoints);
