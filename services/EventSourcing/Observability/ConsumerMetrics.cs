using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;

namespace CustomerSuccess.EventSourcing.Observability;

/// <summary>
/// Processing time and failures per consumer queue, measured by this service's own meter (MassTransit's
/// <c>messaging.masstransit.*</c> meter is process-wide, so in a process hosting several services it reports only the
/// first). Every attempt counts: a message retried three times before it succeeds records three failures and one
/// success; one that ends in the error queue also counts in <c>customersuccess.messaging.dead_lettered</c>.
/// </summary>
public sealed class ConsumerMetrics : IReceiveObserver
{
    public const string MeterName = "CustomerSuccess.Consumers";
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _deadLettered;

    public ConsumerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>("customersuccess.messaging.process.duration", "s",
            "Time a consumer took over one delivery attempt of a message (a page of events, or one change), by queue; error.type is set when it failed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _failures = meter.CreateCounter<long>("customersuccess.messaging.process.failures", "{attempt}",
            "Delivery attempts whose consumer threw, by queue and exception type (each is retried, then dead-lettered).");
        _deadLettered = meter.CreateCounter<long>("customersuccess.messaging.dead_lettered", "{message}",
            "Messages this instance moved to an error queue after their retries, by queue.");
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(QueueTag, QueueOf(context.ReceiveContext.InputAddress)));
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        var tags = new TagList
        {
            { QueueTag, QueueOf(context.ReceiveContext.InputAddress) },
            { "error.type", exception.GetType().FullName },
        };
        _duration.Record(duration.TotalSeconds, tags);
        _failures.Add(1, tags);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        _deadLettered.Add(1, new KeyValuePair<string, object?>(QueueTag, QueueOf(context.InputAddress)));
        return Task.CompletedTask;
    }

    internal const string QueueTag = "messaging.destination.name";

    /// <summary>The queue of a receive endpoint's address (<c>rabbitmq://host/vhost/queue?…</c>).</summary>
    public static string QueueOf(Uri? inputAddress) =>
        inputAddress is null ? "unknown" : inputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1];
}
