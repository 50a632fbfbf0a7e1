using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Renewal.Domain;

// Events Renewal records in a customer's stream beside the ingested contract, invoice and stakeholder events.

/// <summary>HealthScore's published health of the customer, with the measure readings risk uses.</summary>
public sealed record HealthRecorded
{
    public required string EventId { get; init; }
    public required decimal Score { get; init; }
    public required HealthBand Band { get; init; }
    public required Quadrant Quadrant { get; init; }
    public required HealthTrend Trend { get; init; }
    public required DateTimeOffset EvaluatedAt { get; init; }
    public HealthReadings? Readings { get; init; }

    public static HealthRecorded From(CustomerHealthChanged changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        return new HealthRecorded
        {
            EventId = changed.EventId,
            Score = changed.Score,
            Band = changed.Band,
            Quadrant = changed.Quadrant,
            Trend = changed.Trend,
            EvaluatedAt = changed.EvaluatedAt,
            Readings = changed.Readings,
        };
    }
}

/// <summary>Lifecycle's tier for the customer (for the worklist filter and the distribution).</summary>
public sealed record TierRecorded(string EventId, CustomerTier Tier, DateTimeOffset ChangedAt);

/// <summary>Lifecycle said a delivery milestone became overdue, or stopped being overdue.</summary>
public sealed record MilestoneOverdueRecorded(string EventId, Milestone Milestone, DateOnly DueOn, bool Overdue, DateTimeOffset ChangedAt);

/// <summary>A contract term's renewal window opened: recorded once per contract and term end, relayed as <see cref="RenewalWindowOpened"/>.</summary>
public sealed record RenewalWindowOpenedRecorded(string ContractId, DateOnly EndsOn, DateOnly OpenedOn, DateTimeOffset RecordedAt);

/// <summary>The customer's latest health when a risk was assessed.</summary>
public sealed record AssessedHealth(decimal Score, HealthBand Band, Quadrant Quadrant);

/// <summary>The customer's risk level or reasons changed: relayed as <see cref="CustomerRiskChanged"/>.</summary>
public sealed record RiskAssessed
{
    public required string CustomerId { get; init; }
    public required RiskLevel Level { get; init; }
    public RiskLevel? PreviousLevel { get; init; }
    public required IReadOnlyList<RiskReason> Reasons { get; init; }
    public string? ContractId { get; init; }
    public DateOnly? EndsOn { get; init; }
    public int? DaysToRenewal { get; init; }
    public decimal? Arr { get; init; }
    public string? Currency { get; init; }
    public required DateTimeOffset AssessedAt { get; init; }

    /// <summary>Since when the level holds: from its reasons (<see cref="RiskResult.Since"/>); for <c>low</c>, the assessment that first gave it.</summary>
    public DateTimeOffset LevelSince { get; init; }

    // What the customer's record said when assessed, kept with the assessment so a relay replaying it publishes the
    // same CRM event (null in assessments recorded before these were kept, or when not known yet).

    public string? Owner { get; init; }

    public CustomerTier? Tier { get; init; }

    public AssessedHealth? Health { get; init; }

    public CustomerRiskChanged ToRiskChanged(string eventId) => new()
    {
        EventId = eventId,
        CustomerId = CustomerId,
        PreviousLevel = PreviousLevel,
        Level = Level,
        Reasons = Reasons,
        ContractId = ContractId,
        EndsOn = EndsOn,
        DaysToRenewal = DaysToRenewal,
        Arr = Arr,
        Currency = Currency,
        ChangedAt = AssessedAt,
    };
}
