using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.TiersAndStages;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// Keeps the <see cref="CustomerFacts"/> rollup of each customer's stream (inline, so an evaluation reads one
/// bounded document instead of the whole history). Dropping and rebuilding it gives the same rollup.
/// </summary>
public sealed class CustomerFactsProjection : SingleStreamProjection<CustomerFacts, string>
{
    public override CustomerFacts? Evolve(CustomerFacts? snapshot, string id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Only facts start a rollup: Marten's tombstone events (written to fill the sequence where an append failed) or
        // any other stranger must not conjure up a document, least of all during a rebuild.
        if (snapshot is null && e.Data is not (CustomerEvent or TierRecorded or StageRecorded or FactsRetentionChanged))
        {
            return null;
        }

        var facts = snapshot ?? new CustomerFacts { Id = id };
        Record(facts, e.Data);
        return facts;
    }

    /// <summary>
    /// Adds one stream event to the rollup. The evaluator calls this too before it appends, so the rollup it scores and
    /// the one stored after the commit are the same.
    /// </summary>
    public static void Record(CustomerFacts facts, object change)
    {
        ArgumentNullException.ThrowIfNull(facts);
        switch (change)
        {
            case CustomerEvent fact:
                facts.Record(fact);
                break;
            case TierRecorded tier:
                facts.RecordTier(tier.LifecycleEventId, tier.Tier, tier.EffectiveAt);
                break;
            case StageRecorded stage:
                facts.RecordStage(stage.LifecycleEventId, stage.Stage, stage.EffectiveAt);
                break;
            case FactsRetentionChanged retention:
                facts.ChangeRetention(retention.RetentionDays);
                break;
            default:
                break; // HealthEvaluated and anything else: not facts
        }
    }
}
