using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.EventSourcing.Messaging;

/// <summary>Broker connection and consumer tuning (<c>RabbitMq:*</c>).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>AMQP URI with credentials and virtual host, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    [Required]
    public string Uri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Messages fetched ahead per consumer queue.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 32;

    /// <summary>
    /// Messages one instance processes at once per queue. Each message carries a page of events for many customers;
    /// one at a time avoids optimistic-concurrency conflicts between pages of the same customer inside one instance
    /// (across instances a conflict is retried).
    /// </summary>
    [Range(1, 1000)]
    public int ConcurrentMessageLimit { get; set; } = 1;

    /// <summary>
    /// Pages of ingested events one instance applies in one commit, at most, per consumer of them (HealthScore's facts,
    /// Lifecycle's and Renewal's events). Those queues deliver this many pages at once; while one commit runs the pages
    /// delivered meanwhile wait and go into the next one together, so commits grow with the load (at low load a page is
    /// applied alone, at once). 1 applies every page alone. At most <see cref="PrefetchCount"/>.
    /// </summary>
    [Range(1, 1000)]
    public int MessagesPerCommit { get; set; } = 16;

    /// <summary>Events a commit of several messages holds at most (a single page is applied whole, whatever its size).</summary>
    [Range(1, 1_000_000)]
    public int EventsPerCommit { get; set; } = 8_000;

    /// <summary>
    /// Distinct customers a commit of several messages is about at most: a commit holds each one's state (HealthScore's
    /// rollup) in memory. With 5,000 customers HealthScore peaked at 534 MB with commits bounded only by 8,000 events,
    /// 465 MB at 1,000 customers, 334 MB at 400 (docs/benchmarks.md "Bounded commits").
    /// </summary>
    [Range(1, 1_000_000)]
    public int CustomersPerCommit { get; set; } = 400;

    /// <summary>In-process retries of a failing message (exponential back-off) before it moves to the error queue.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;

    /// <summary>
    /// How long a message whose processing failed only because the service's database could not be reached keeps
    /// being retried (every <see cref="StoreOutageRetryInterval"/>) before it moves to the error queue. A database
    /// restart or fail-over must not turn good messages into dead letters; a message that fails for any other reason
    /// still gets only <see cref="RetryLimit"/> retries.
    /// </summary>
    public TimeSpan StoreOutageRetryFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Pause between retries while the database is unreachable (see <see cref="StoreOutageRetryFor"/>).</summary>
    public TimeSpan StoreOutageRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Consumer queues are quorum queues (replicated in a RabbitMQ cluster; also fine on a single node). An existing
    /// classic queue of the same name must be deleted (after draining) before switching; false keeps classic queues.
    /// </summary>
    public bool QuorumQueues { get; set; } = true;

    /// <summary>
    /// On shutdown, how long in-flight messages may take to finish after the bus stopped taking new ones; then they are
    /// cancelled and, never acknowledged, redelivered. Shorter than <c>Hosting:ShutdownTimeout</c>, which bounds the whole stop.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Bound on one publish: MassTransit's publish blocks while the broker is down.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
