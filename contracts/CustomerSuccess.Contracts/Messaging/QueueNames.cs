namespace CustomerSuccess.Contracts.Messaging;

/// <summary>
/// The RabbitMQ queue of each consumer. Deployed brokers hold these names: changing one strands the messages waiting in
/// the old queue, so a new name is a migration, not a refactoring. The consuming service declares its queue with it
/// (its consumer definition); Ingestion declares the subscribers' queues before its first publish and replays into them.
/// </summary>
public static class QueueNames
{
    /// <summary>HealthScore: ingested events that are scoring facts.</summary>
    public const string HealthScoreFacts = "healthscore-health-facts";

    /// <summary>HealthScore: <c>CustomerTierChanged</c> from Lifecycle.</summary>
    public const string HealthScoreTierChanged = "healthscore-customer-tier-changed";

    /// <summary>HealthScore: <c>CustomerStageChanged</c> from Lifecycle.</summary>
    public const string HealthScoreStageChanged = "healthscore-customer-stage-changed";

    /// <summary>Lifecycle: ingested events that move a customer through its lifecycle.</summary>
    public const string LifecycleEvents = "lifecycle-lifecycle-events";

    /// <summary>Renewal: ingested contract and invoice events.</summary>
    public const string RenewalEvents = "renewal-renewal-events";

    /// <summary>Service name → the queue through which it receives <c>CustomerEventsIngested</c> (and Ingestion's replays).</summary>
    public static readonly IReadOnlyDictionary<string, string> IngestedEventsByService = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["healthscore"] = HealthScoreFacts,
        ["lifecycle"] = LifecycleEvents,
        ["renewal"] = RenewalEvents,
    };

    /// <summary>Every consumer queue of the platform.</summary>
    public static readonly IReadOnlyList<string> All =
        [HealthScoreFacts, HealthScoreTierChanged, HealthScoreStageChanged, LifecycleEvents, RenewalEvents];
}
