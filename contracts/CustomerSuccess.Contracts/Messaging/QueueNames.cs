using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Contracts.Messaging;

/// <summary>
/// The RabbitMQ queue of each consumer. Deployed brokers hold these names: changing one strands the messages waiting in
/// the old queue, so a new name is a migration, not a refactoring. The consuming service declares its queue with it
/// (its consumer definition); Ingestion declares the subscribers' queues before its first publish and replays into them; a service publishing to
/// another declares that one's queues the same way (<see cref="SubscribersByMessage"/>).
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

    /// <summary>Lifecycle: HealthScore's <c>CustomerHealthChanged</c> (sustained healthy use, outcome for the tier).</summary>
    public const string LifecycleHealthChanged = "lifecycle-customer-health-changed";

    /// <summary>Lifecycle: Renewal's <c>RenewalWindowOpened</c> (the renewal stage).</summary>
    public const string LifecycleRenewalWindowOpened = "lifecycle-renewal-window-opened";

    /// <summary>Renewal: ingested contract, invoice and stakeholder events.</summary>
    public const string RenewalEvents = "renewal-renewal-events";

    /// <summary>Renewal: HealthScore's <c>CustomerHealthChanged</c> (band, quadrant, trend and the readings risk weighs).</summary>
    public const string RenewalHealthChanged = "renewal-customer-health-changed";

    /// <summary>Renewal: Lifecycle's <c>CustomerTierChanged</c> (worklist filter, distribution).</summary>
    public const string RenewalTierChanged = "renewal-customer-tier-changed";

    /// <summary>Renewal: Lifecycle's <c>CustomerMilestoneOverdueChanged</c> (overdue delivery raises risk).</summary>
    public const string RenewalMilestoneOverdueChanged = "renewal-customer-milestone-overdue-changed";

    /// <summary>Service name → the queue through which it receives <c>CustomerEventsIngested</c> (and Ingestion's replays).</summary>
    public static readonly IReadOnlyDictionary<string, string> IngestedEventsByService = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["healthscore"] = HealthScoreFacts,
        ["lifecycle"] = LifecycleEvents,
        ["renewal"] = RenewalEvents,
    };

    /// <summary>
    /// Each message one service publishes to another → the queues that receive it. The publishing service declares and
    /// binds these queues before its first publish of that message (as Ingestion does for its subscribers): RabbitMQ
    /// drops a message no queue is bound for, so without this a change published before its consumer ever started (a
    /// first deploy, a service added later) would be lost.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, IReadOnlyList<string>> SubscribersByMessage = new Dictionary<Type, IReadOnlyList<string>>
    {
        [typeof(CustomerHealthChanged)] = [LifecycleHealthChanged, RenewalHealthChanged],
        [typeof(CustomerStageChanged)] = [HealthScoreStageChanged],
        [typeof(CustomerTierChanged)] = [HealthScoreTierChanged, RenewalTierChanged],
        [typeof(CustomerMilestoneOverdueChanged)] = [RenewalMilestoneOverdueChanged],
        [typeof(RenewalWindowOpened)] = [LifecycleRenewalWindowOpened],
    };

    /// <summary>Every consumer queue of the platform.</summary>
    public static readonly IReadOnlyList<string> All =
        [HealthScoreFacts, HealthScoreTierChanged, HealthScoreStageChanged, LifecycleEvents, LifecycleHealthChanged, LifecycleRenewalWindowOpened,
        RenewalEvents, RenewalHealthChanged, RenewalTierChanged, RenewalMilestoneOverdueChanged];
}
