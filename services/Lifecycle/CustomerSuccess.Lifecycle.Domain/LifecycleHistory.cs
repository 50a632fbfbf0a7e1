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
    /// Applies one of this stream's events (anything else is ignored). One switch rather than conventional <c>Apply</c>
    /// methods: the store wires this explicitly, and conventional methods would be picked up besides it.
    /// </summary>
    public void Evolve(object @event)
    {
        switch (@event)
        {
            case CustomerProfiled e: Profiles.Add(e); break;
            case ContractSigned e: ContractsSigned.Add(e); break;
            case ContractAmended e: Amendments.Add(e); break;
            case ContractRenewed e: Renewals.Add(e); break;
            case ContractCancelled e: Cancellations.Add(e); break;
            case MilestoneReached e: Milestones.Add(e); break;
            case SeatsReported e: Seats.Add(e); break;
            case HealthObserved e: Health.Add(e); break;
            case RenewalWindowObserved e: Windows.Add(e); break;
            case TierPinned e: Pins.Add(e); break;
            case TierUnpinned e: Unpins.Add(e); break;
            case TierCalibrated e: Calibrations.Add(e); break;
            case StageChanged e: PublishedStage = e.Stage; break;
            case TierChanged e:
                PublishedTier = e.Tier;
                PublishedTierPinned = e.Pinned;
                break;
            case MilestoneOverdueChanged e: PublishedOverdue[e.Milestone] = e.Overdue; break;
        }
    }

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
