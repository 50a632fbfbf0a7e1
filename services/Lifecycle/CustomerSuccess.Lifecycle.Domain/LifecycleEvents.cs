using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Lifecycle.Domain;

// Lifecycle's own stream events, besides the ingested facts it keeps (profile, contracts, seats, milestones).

/// <summary>HealthScore said the customer's health changed (from <c>CustomerHealthChanged</c>); counts at <paramref name="EvaluatedAt"/>.</summary>
public sealed record HealthObserved(string HealthEventId, HealthBand Band, decimal Outcome, DateTimeOffset EvaluatedAt);

/// <summary>Renewal opened the renewal window of a contract (from <c>RenewalWindowOpened</c>); counts at the start of <paramref name="OpenedOn"/>.</summary>
public sealed record RenewalWindowObserved(string RenewalEventId, string ContractId, DateOnly EndsOn, DateOnly OpenedOn);

/// <summary>A CSM pinned the customer's tier; the pin holds until it is removed.</summary>
public sealed record TierPinned(CustomerTier Tier, string Reason, DateTimeOffset At);

/// <summary>A CSM removed the pin: the calibrated tier applies again.</summary>
public sealed record TierUnpinned(string Reason, DateTimeOffset At);

/// <summary>
/// The tier a calibration as of <paramref name="AsOf"/> found the customer qualified for, and why. Kept so that replay
/// applies exactly the results of the day; the last calibration of a day is that day's result.
/// </summary>
public sealed record TierCalibrated(CustomerTier Tier, string Reason, DateTimeOffset AsOf);

/// <summary>Published: the customer entered <paramref name="Stage"/> at <paramref name="ChangedAt"/>.</summary>
public sealed record StageChanged(LifecycleStage? PreviousStage, LifecycleStage Stage, DateTimeOffset ChangedAt, string Reason);

/// <summary>Published: the customer's tier (or its pinned state) changed at <paramref name="ChangedAt"/>.</summary>
public sealed record TierChanged(CustomerTier? PreviousTier, CustomerTier Tier, bool Pinned, DateTimeOffset ChangedAt, string Reason);

/// <summary>Published: a delivery milestone became overdue, or stopped being overdue.</summary>
public sealed record MilestoneOverdueChanged(Milestone Milestone, DateOnly DueOn, bool Overdue, DateTimeOffset ChangedAt);
