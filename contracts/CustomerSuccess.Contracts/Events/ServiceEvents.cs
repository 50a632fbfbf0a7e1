namespace CustomerSuccess.Contracts.Events;

/// <summary>HealthScore: a customer's health moved (band, quadrant, or score by more than the configured margin).</summary>
public sealed record CustomerHealthChanged
{
    public required string EventId { get; init; }
    public required string CustomerId { get; init; }
    public required decimal Score { get; init; }
    public required decimal Outcome { get; init; }
    public required decimal Experience { get; init; }
    public required HealthBand Band { get; init; }
    public required Quadrant Quadrant { get; init; }
    public required HealthTrend Trend { get; init; }
    public required int ModelVersion { get; init; }
    public required DateTimeOffset EvaluatedAt { get; init; }
    /// <summary>The few contributions that explain the score best, as short human-readable reasons.</summary>
    public IReadOnlyList<string> TopReasons { get; init; } = [];
    /// <summary>The raw readings of the measures renewal risk weighs; null from a publisher that predates them.</summary>
    public HealthReadings? Readings { get; init; }
}

/// <summary>
/// Raw values of HealthScore measures behind renewal risk, as HealthScore computed them (null: no data for the measure).
/// HealthScore also publishes when one of them moves, not only on band, quadrant or score.
/// </summary>
public sealed record HealthReadings
{
    /// <summary><c>seat_activation</c>: distinct active users ÷ assigned seats (0–1, may exceed 1).</summary>
    public double? SeatActivation { get; init; }
    /// <summary><c>monthly_active_users</c>: distinct active users in the window ÷ paid seats; the usage a drop is judged on.</summary>
    public double? MonthlyActiveUsers { get; init; }
    /// <summary><c>incident_load</c>: incident tickets opened in the window.</summary>
    public double? IncidentTickets { get; init; }
    /// <summary><c>first_response_time</c>: urgency-weighted share (%) of tickets whose first response met the SLA.</summary>
    public double? FirstResponseSlaMet { get; init; }
    /// <summary><c>resolution_time</c>: urgency-weighted share (%) of tickets whose resolution met the SLA.</summary>
    public double? ResolutionSlaMet { get; init; }
}

/// <summary>Lifecycle: a customer entered a new lifecycle stage.</summary>
public sealed record CustomerStageChanged
{
    public required string EventId { get; init; }
    public required string CustomerId { get; init; }
    public LifecycleStage? PreviousStage { get; init; }
    public required LifecycleStage Stage { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
    public string? Reason { get; init; }
}

/// <summary>Lifecycle: a customer's tier changed (recalibrated from data or pinned by a CSM).</summary>
public sealed record CustomerTierChanged
{
    public required string EventId { get; init; }
    public required string CustomerId { get; init; }
    public CustomerTier? PreviousTier { get; init; }
    public required CustomerTier Tier { get; init; }
    public required bool Pinned { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
    /// <summary>Why: the calibration rule that qualified the customer, or the CSM's reason for a pin or unpin.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// Lifecycle: a delivery milestone (<see cref="Milestone.FirstValue"/> or <see cref="Milestone.Delivered"/>) became overdue
/// (<see cref="Overdue"/> true: its due date passed without it), or stopped being overdue (reached late, or the customer churned).
/// Raised by the passage of time as well as by events.
/// </summary>
public sealed record CustomerMilestoneOverdueChanged
{
    public required string EventId { get; init; }
    public required string CustomerId { get; init; }
    public required Milestone Milestone { get; init; }
    public required DateOnly DueOn { get; init; }
    public required bool Overdue { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>Renewal: a customer's renewal risk level or reasons changed.</summary>
public sealed record CustomerRiskChanged
{
    public required string EventId { get; init; }
    public required string CustomerId { get; init; }
    public RiskLevel? PreviousLevel { get; init; }
    public required RiskLevel Level { get; init; }
    public IReadOnlyList<RiskReason> Reasons { get; init; } = [];
    public string? ContractId { get; init; }
    public DateOnly? EndsOn { get; init; }
    public int? DaysToRenewal { get; init; }
    public decimal? Arr { get; init; }
    public string? Currency { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>One reason behind a risk level: a stable machine code, a sentence with the evidence, and since when it holds.</summary>
/// <param name="Code">Stable, e.g. <c>satisfied_but_unsuccessful</c>, <c>champion_left</c>, <c>delivery_overdue</c>.</param>
/// <param name="Text">What a CSM reads, with the evidence.</param>
/// <param name="Since">Since when the reason holds.</param>
public sealed record RiskReason(string Code, string Text, DateTimeOffset Since);

/// <summary>Renewal: a customer's renewal window opened.</summary>
public sealed record RenewalWindowOpened
{
    public required string EventId { get; init; }
    public required string CustomerId { get; init; }
    public required string ContractId { get; init; }
    public required DateOnly EndsOn { get; init; }
    public required DateOnly OpenedOn { get; init; }
}
