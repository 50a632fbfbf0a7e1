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
    /// In <c>HotCold</c> mode, how often an instance tries for the relays it does not run (one advisory lock each): after
    /// the instance running a relay stops or dies, another takes it over within this time (Marten's default, 5 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan LeadershipPollingTime { get; set; } = TimeSpan.FromSeconds(5);
}
