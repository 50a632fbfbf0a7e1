using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>Where a service keeps its events and documents (<c>EventStore:*</c>); the connection string is <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class EventStoreOptions
{
    public const string Section = "EventStore";

    /// <summary>PostgreSQL schema owned by this service alone. Defaults to the service name.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string? Schema { get; set; }

    /// <summary><c>HotCold</c> (default; one node runs each projection, others stand by) or <c>Solo</c>.</summary>
    public string DaemonMode { get; set; } = "HotCold";

    /// <summary>
    /// How long an applied event id is remembered (<see cref="AppliedEventLedger"/>): inside it a redelivery or a replay
    /// of the event changes nothing; an event older than it that arrives again is applied again. Each service sets its
    /// own default (<see cref="DefaultAppliedIdRetention"/> for the consumers; Ingestion's de-duplication window is shorter).
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan AppliedIdRetention { get; set; } = DefaultAppliedIdRetention;

    /// <summary>How often ids older than <see cref="AppliedIdRetention"/> are pruned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AppliedIdPruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Ids deleted per statement (each its own short transaction), so pruning never holds long locks.</summary>
    [Range(100, 1_000_000)]
    public int AppliedIdPruneBatchSize { get; set; } = 10_000;

    /// <summary>
    /// The consumers' default: longer than a year, the longest window any measure looks back over, so replaying any
    /// history that still matters is exactly-once in effect.
    /// </summary>
    public static readonly TimeSpan DefaultAppliedIdRetention = TimeSpan.FromDays(400);

    /// <summary>
    /// In <c>HotCold</c> mode, how often an instance tries for the relays it does not run (one advisory lock each): after
    /// the instance running a relay stops or dies, another takes it over within this time (Marten's default, 5 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan LeadershipPollingTime { get; set; } = TimeSpan.FromSeconds(5);
}
