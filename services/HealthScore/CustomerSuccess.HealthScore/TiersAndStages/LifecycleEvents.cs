using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.TiersAndStages;

/// <summary>
/// Lifecycle gave the customer a tier (from <see cref="CustomerTierChanged"/>), in force for scoring from
/// <paramref name="EffectiveAt"/>: the change's own instant, or the instant HealthScore learned of it if that was earlier
/// (a change cannot count before it was known, whatever the other service's clock said).
/// </summary>
public sealed record TierRecorded(string LifecycleEventId, CustomerTier Tier, bool Pinned, DateTimeOffset ChangedAt, DateTimeOffset EffectiveAt);

/// <summary>The customer entered a lifecycle stage (from <see cref="CustomerStageChanged"/>); as <see cref="TierRecorded"/>.</summary>
public sealed record StageRecorded(string LifecycleEventId, LifecycleStage Stage, DateTimeOffset ChangedAt, DateTimeOffset EffectiveAt);
