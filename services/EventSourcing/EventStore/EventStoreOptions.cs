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
}
