using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Lifecycle.Domain;

/// <summary>A customer's lifecycle as of <see cref="AsOf"/>, derived from its facts by <see cref="LifecycleTimeline"/>.</summary>
public sealed record LifecycleView
{
    public required string CustomerId { get; init; }

    public required DateTimeOffset AsOf { get; init; }

    /// <summary>Null until a contract starts or a handover is complete.</summary>
    public LifecycleStage? Stage { get; init; }

    public DateTimeOffset? StageSince { get; init; }

    public string? StageReason { get; init; }

    /// <summary>Every stage the customer went through, oldest first, across all its lives.</summary>
    public IReadOnlyList<StagePeriod> StageHistory { get; init; } = [];

    /// <summary>Milestones reached, the first of each kind per life, in order.</summary>
    public IReadOnlyList<MilestoneRecord> Milestones { get; init; } = [];

    /// <summary>1 for the first life; each win-back starts the next one (0 before the start).</summary>
    public int Life { get; init; }

    public int TimesWonBack { get; init; }

    /// <summary>Start of the current life's onboarding.</summary>
    public DateTimeOffset? LifeStartedAt { get; init; }

    public DateOnly? FirstValueDueOn { get; init; }

    public bool FirstValueOverdue { get; init; }

    public DateOnly? DeliveryDueOn { get; init; }

    public bool DeliveryOverdue { get; init; }

    public bool HandoverMissing { get; init; }

    public CustomerTier Tier { get; init; } = CustomerTier.Standard;

    public bool TierPinned { get; init; }

    public string TierReason { get; init; } = "";

    public DateTimeOffset? TierSince { get; init; }

    /// <summary>The tier the calibration gives, whether or not a pin overrides it.</summary>
    public CustomerTier CalibratedTier { get; init; } = CustomerTier.Standard;

    public IReadOnlyList<TierPeriod> TierHistory { get; init; } = [];

    /// <summary>Sum of the ARR of the contracts in force.</summary>
    public decimal Arr { get; init; }

    /// <summary>Paid seats: the latest report, else the seats of the contracts in force.</summary>
    public int? PaidSeats { get; init; }

    public int? Locations { get; init; }

    public bool KeyAccountProfiled { get; init; }

    /// <summary>The latest health outcome HealthScore reported.</summary>
    public decimal? Outcome { get; init; }

    /// <summary>End of the latest contract in force.</summary>
    public DateOnly? ContractEndsOn { get; init; }

    /// <summary>Whether the milestone was reached in the current life.</summary>
    public bool Reached(Milestone milestone) => Milestones.Any(m => m.Milestone == milestone && m.Life == Life);

    public DateOnly? DueOn(Milestone milestone) => milestone switch
    {
        Milestone.FirstValue => FirstValueDueOn,
        Milestone.Delivered => DeliveryDueOn,
        _ => null,
    };

    public bool Overdue(Milestone milestone) => milestone switch
    {
        Milestone.FirstValue => FirstValueOverdue,
        Milestone.Delivered => DeliveryOverdue,
        _ => false,
    };
}

/// <summary>One stay in a stage; <see cref="Until"/> is null for the current one.</summary>
public sealed record StagePeriod(
    LifecycleStage Stage, DateTimeOffset Since, DateTimeOffset? Until, string Reason, int Life, string? ChurnReason = null, string? Competitor = null)
{
    /// <summary>Whole days spent in the stage, up to <paramref name="asOf"/> for the current one.</summary>
    public int Days(DateTimeOffset asOf) => (int)Math.Max(0, Math.Floor(((Until ?? asOf) - Since).TotalDays));
}

/// <summary>A milestone reached in a life of the customer.</summary>
public sealed record MilestoneRecord(Milestone Milestone, DateTimeOffset ReachedAt, int Life);

/// <summary>A tier the customer held from <see cref="Since"/>, pinned by a CSM or calibrated, and why.</summary>
public sealed record TierPeriod(CustomerTier Tier, DateTimeOffset Since, string Reason, bool Pinned);
