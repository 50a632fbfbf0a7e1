using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Lifecycle.Domain;

/// <summary>
/// Everything Lifecycle knows about one customer, as it arrived: the facts (kept whole, so a late or out-of-order fact
/// can take its rightful place when the lifecycle is derived again) and what has been published so far. Built by
/// <see cref="Evolve"/> from the customer's stream (a Marten inline snapshot); it decides nothing itself — see
/// <see cref="LifecycleTimeline"/> for the derivation and <see cref="LifecycleDecider"/> for the decisions.
/// </summary>
public sealed class LifecycleHistory
{
    public string Id { get; set; } = "";

    public List<CustomerProfiled> Profiles { get; set; } = [];

    public List<ContractSigned> ContractsSigned { get; set; } = [];

    public List<ContractAmended> Amendments { get; set; } = [];

    public List<ContractRenewed> Renewals { get; set; } = [];

    public List<ContractCancelled> Cancellations { get; set; } = [];

    public List<MilestoneReached> Milestones { get; set; } = [];

    public List<SeatsReported> Seats { get; set; } = [];

    public List<HealthObserved> Health { get; set; } = [];

    public List<RenewalWindowObserved> Windows { get; set; } = [];

    public List<TierPinned> Pins { get; set; } = [];

    public List<TierUnpinned> Unpins { get; set; } = [];

    public List<TierCalibrated> Calibrations { get; set; } = [];

    /// <summary>The last stage published (null: none yet).</summary>
    public LifecycleStage? PublishedStage { get; set; }

    /// <summary>The last tier published (null: none yet, which consumers read as standard).</summary>
    public CustomerTier? PublishedTier { get; set; }

    public bool PublishedTierPinned { get; set; }

    /// <summary>The overdue flags published per milestone (absent: never overdue).</summary>
    public Dictionary<Milestone, bool> PublishedOverdue { get; set; } = [];

    /// <summary>
    /// The instant each milestone's published overdue flag changed at: an evaluation as of an earlier instant (a daily
    /// run catching up after a consumer already evaluated the customer as of now) does not turn it back.
    /// </summary>
    public Dictionary<Milestone, DateTimeOffset> PublishedOverdueAt { get; set; } = [];

    /// <summary>
    /// How each of this stream's event types changes the history: the one place that dispatches them, so the set of
    /// ingested types Lifecycle keeps (<see cref="IngestedEventTypes"/>) and the types its store must know
    /// (<see cref="EventTypes"/>) are read from here and cannot drift apart. A table rather than conventional
    /// <c>Apply</c> methods: the store wires <see cref="Evolve"/> explicitly, and conventional methods would be picked up besides it.
    /// </summary>
    private static readonly Dictionary<Type, Action<LifecycleHistory, object>> Handlers = new[]
    {
        On<CustomerProfiled>((h, e) => h.Profiles.Add(e)),
        On<ContractSigned>((h, e) => h.ContractsSigned.Add(e)),
        On<ContractAmended>((h, e) => h.Amendments.Add(e)),
        On<ContractRenewed>((h, e) => h.Renewals.Add(e)),
        On<ContractCancelled>((h, e) => h.Cancellations.Add(e)),
        On<MilestoneReached>((h, e) => h.Milestones.Add(e)),
        On<SeatsReported>((h, e) => h.Seats.Add(e)),
        On<HealthObserved>((h, e) => h.Health.Add(e)),
        On<RenewalWindowObserved>((h, e) => h.Windows.Add(e)),
        On<TierPinned>((h, e) => h.Pins.Add(e)),
        On<TierUnpinned>((h, e) => h.Unpins.Add(e)),
        On<TierCalibrated>((h, e) => h.Calibrations.Add(e)),
        On<StageChanged>((h, e) => h.PublishedStage = e.Stage),
        On<TierChanged>((h, e) =>
        {
            h.PublishedTier = e.Tier;
            h.PublishedTierPinned = e.Pinned;
        }),
        On<MilestoneOverdueChanged>((h, e) =>
        {
            h.PublishedOverdue[e.Milestone] = e.Overdue;
            h.PublishedOverdueAt[e.Milestone] = e.ChangedAt;
        }),
    }.ToDictionary(handler => handler.Key, handler => handler.Value);

    /// <summary>Every event type of a Lifecycle stream.</summary>
    public static IReadOnlyCollection<Type> EventTypes => Handlers.Keys;

    /// <summary>The ingested (<see cref="CustomerEvent"/>) types among them: what Lifecycle keeps from Ingestion's log.</summary>
    public static readonly IReadOnlySet<Type> IngestedEventTypes =
        Handlers.Keys.Where(t => t.IsSubclassOf(typeof(CustomerEvent))).ToHashSet();

    /// <summary>Applies one of this stream's events (anything else is ignored).</summary>
    public void Evolve(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (Handlers.TryGetValue(@event.GetType(), out var apply))
        {
            apply(this, @event);
        }
    }

    private static KeyValuePair<Type, Action<LifecycleHistory, object>> On<T>(Action<LifecycleHistory, T> apply) =>
        new(typeof(T), (history, e) => apply(history, (T)e));

    /// <summary>A copy to evolve without touching this instance (the store applies appended events to the original).</summary>
    public LifecycleHistory Copy() => new()
    {
        Id = Id,
        Profiles = [.. Profiles],
        ContractsSigned = [.. ContractsSigned],
        Amendments = [.. Amendments],
        Renewals = [.. Renewals],
        Cancellations = [.. Cancellations],
        Milestones = [.. Milestones],
        Seats = [.. Seats],
        Health = [.. Health],
        Windows = [.. Windows],
        Pins = [.. Pins],
        Unpins = [.. Unpins],
        Calibrations = [.. Calibrations],
        PublishedStage = PublishedStage,
        PublishedTier = PublishedTier,
        PublishedTierPinned = PublishedTierPinned,
        PublishedOverdue = new Dictionary<Milestone, bool>(PublishedOverdue),
        PublishedOverdueAt = new Dictionary<Milestone, DateTimeOffset>(PublishedOverdueAt),
    };

    /// <summary>A history built from events, in the order given (their business time is sorted out by the derivation).</summary>
    public static LifecycleHistory From(string customerId, IEnumerable<object> events)
    {
        var history = new LifecycleHistory { Id = customerId };
        foreach (var e in events)
        {
            history.Evolve(e);
        }

        return history;
    }
}
