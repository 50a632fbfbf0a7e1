using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Contracts.Http;

/// <summary>Answer of <c>GET /v1/customers/{id}/lifecycle</c>: a customer's lifecycle as of <see cref="EvaluatedAt"/> (now).</summary>
/// <param name="CustomerId">The vendor's own customer id.</param>
/// <param name="Stage">The current stage.</param>
/// <param name="StageSince">When the customer entered it.</param>
/// <param name="StageHistory">Every stage of every life, oldest first; a won-back customer keeps its whole past.</param>
/// <param name="Milestones">Milestones reached, each with the life it belongs to.</param>
/// <param name="FirstValueDueOn">First value is due by the end of this day (UTC), counted from the current life's start.</param>
/// <param name="FirstValueOverdue">The first value's due day passed without it (never for a churned customer).</param>
/// <param name="DeliveryDueOn">Delivery is due by the end of this day (UTC).</param>
/// <param name="DeliveryOverdue">The delivery's due day passed without it (never for a churned customer).</param>
/// <param name="HandoverMissing">The sales handover is still incomplete some days after the start.</param>
/// <param name="Tier">The tier in force: the pinned one, else the calibrated one.</param>
/// <param name="TierPinned">Whether a CSM pinned the tier.</param>
/// <param name="CalibratedTier">The tier the daily calibration gives, whether or not a pin overrides it.</param>
/// <param name="TierReason">Why the customer has its tier.</param>
/// <param name="TierHistory">Every tier the customer held, pinned or calibrated, with its reason, oldest first.</param>
/// <param name="TimesWonBack">How often the customer came back after churning.</param>
/// <param name="Life">1 for the first life; every win-back starts the next.</param>
/// <param name="EvaluatedAt">The instant the lifecycle was derived for (now).</param>
public sealed record CustomerLifecycleResponse(
    string CustomerId,
    LifecycleStage Stage,
    DateTimeOffset StageSince,
    IReadOnlyList<StageHistoryEntry> StageHistory,
    IReadOnlyList<MilestoneResponse> Milestones,
    DateOnly? FirstValueDueOn,
    bool FirstValueOverdue,
    DateOnly? DeliveryDueOn,
    bool DeliveryOverdue,
    bool HandoverMissing,
    CustomerTier Tier,
    bool TierPinned,
    string TierReason,
    CustomerTier CalibratedTier,
    IReadOnlyList<TierHistoryEntry> TierHistory,
    int TimesWonBack,
    int Life,
    DateTimeOffset EvaluatedAt);

/// <summary>A milestone and when it was reached; <paramref name="PreviousLife"/> marks one from before a win-back.</summary>
public sealed record MilestoneResponse(Milestone Milestone, DateTimeOffset ReachedAt, int Life, bool PreviousLife);

/// <summary>One stay in a stage.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Since">When the customer entered it.</param>
/// <param name="Until">When the customer left the stage; null for the current one.</param>
/// <param name="Days">Whole days in the stage (up to now for the current one).</param>
/// <param name="Reason">Why the customer entered the stage.</param>
/// <param name="Life">The life the stay belongs to (1 before any win-back).</param>
/// <param name="ChurnReason">For a churn: the cancellation's reason, <c>cancelled</c> without one, or <c>lapsed</c>.</param>
/// <param name="Competitor">For a churn: the competitor the customer went to, when known.</param>
public sealed record StageHistoryEntry(
    LifecycleStage Stage, DateTimeOffset Since, DateTimeOffset? Until, int Days, string? Reason, int Life, string? ChurnReason = null, string? Competitor = null);

/// <summary>A tier the customer held from <paramref name="Since"/>, pinned by a CSM or calibrated, and why.</summary>
public sealed record TierHistoryEntry(CustomerTier Tier, DateTimeOffset Since, string Reason, bool Pinned);

/// <summary>Body of <c>PUT /v1/customers/{id}/tier</c>: the tier to pin and the CSM's reason (required).</summary>
public sealed record TierPinRequest(
    CustomerTier Tier,
    string Reason);

/// <summary>Answer of <c>GET /v1/lifecycle</c>: a page of customers in a stable order; pass <see cref="Next"/> as <c>after</c> for the next page.</summary>
public sealed record LifecycleListResponse(IReadOnlyList<LifecycleListItem> Items, string? Next);

/// <summary>One customer in the lifecycle list, as of its last evaluation (an event, a pin or the daily run).</summary>
public sealed record LifecycleListItem(
    string CustomerId,
    LifecycleStage Stage,
    DateTimeOffset StageSince,
    CustomerTier Tier,
    bool TierPinned,
    bool FirstValueOverdue,
    bool DeliveryOverdue,
    bool HandoverMissing,
    int TimesWonBack,
    DateTimeOffset EvaluatedAt);

/// <summary>Answer of <c>GET /v1/lifecycle/metrics</c> over [<see cref="From"/>, <see cref="To"/>).</summary>
/// <param name="From">Start of the period (inclusive).</param>
/// <param name="To">End of the period (exclusive); the instant the counts are taken at.</param>
/// <param name="Stages">Customers per stage at <see cref="To"/>.</param>
/// <param name="Tiers">Customers per tier at <see cref="To"/> (customers with a stage then).</param>
/// <param name="Transitions">Stage changes that happened in the period, by previous and new stage.</param>
/// <param name="MedianDaysInStage">Per stage, the median days of the stays in it that ended in the period.</param>
/// <param name="StandardToHighPotential">The standard → high-potential conversion in the period.</param>
public sealed record LifecycleMetricsResponse(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<StageCount> Stages,
    IReadOnlyList<TierCount> Tiers,
    IReadOnlyList<StageTransitionCount> Transitions,
    IReadOnlyList<StageDuration> MedianDaysInStage,
    TierConversion StandardToHighPotential);

public sealed record StageCount(LifecycleStage Stage, int Customers);

public sealed record TierCount(CustomerTier Tier, int Customers);

/// <summary>How many customers moved from <paramref name="From"/> (null: they had no stage before) to <paramref name="To"/>.</summary>
public sealed record StageTransitionCount(LifecycleStage? From, LifecycleStage To, int Count);

/// <summary>Median days of the <paramref name="Stays"/> in a stage that ended in the period (null when none did).</summary>
public sealed record StageDuration(LifecycleStage Stage, double? MedianDays, int Stays);

/// <summary>
/// The cohort: customers with a stage whose tier was standard at the period's start. Converted: those of them whose tier
/// became high potential (calibrated or pinned) during the period. Rate = converted / cohort, null for an empty cohort.
/// </summary>
public sealed record TierConversion(int Cohort, int Converted, double? Rate);
