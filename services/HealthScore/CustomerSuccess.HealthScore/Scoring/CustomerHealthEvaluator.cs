using CustomerSuccess.Contracts.Events;
using Marten;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// The edge between the pure scoring and the store: keeps facts in the customer's stream and appends
/// <see cref="HealthEvaluated"/> whenever an evaluation gives a different result than the last one.
/// </summary>
public sealed class CustomerHealthEvaluator
{
    /// <summary>Contract events the facts rollup uses; everything else is not HealthScore's business.</summary>
    public static bool IsFact(CustomerEvent customerEvent) => customerEvent is CustomerProfiled or UsageRecorded or SeatsReported
        or TicketOpened or TicketResponded or TicketResolved or TicketReopened or SurveyAnswered
        or ContractSigned or ContractAmended or ContractRenewed or ContractCancelled
        or StakeholderChanged or ReferralMade or FeedbackRecorded;

    /// <summary>Appends new facts (may be none) and, if the result changed, a <see cref="HealthEvaluated"/>; commits with the session.</summary>
    public static async Task RecordAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> facts, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<CustomerFacts>(customerId, cancellationToken);
        var rollup = stream.Aggregate ?? new CustomerFacts { Id = customerId };
        foreach (var fact in facts)
        {
            rollup.Record(fact);
        }

        var health = await session.LoadAsync<CustomerHealth>(customerId, cancellationToken);
        var evaluated = HealthEvaluated.From(customerId, Evaluate(rollup, asOf));
        var changes = new List<object>(facts);
        if (!evaluated.SameResultAs(health?.Latest))
        {
            changes.Add(evaluated);
        }

        if (changes.Count > 0)
        {
            stream.AppendMany(changes.ToArray());
        }
    }

    /// <summary>The customer's health as of any instant, from its facts as they stand now.</summary>
    public static HealthResult Evaluate(CustomerFacts facts, DateTimeOffset asOf)
    {
        // The profile's keyAccount flag already selects key-account weights inside the evaluation; tier and stage
        // from Lifecycle (CustomerTierChanged / CustomerStageChanged) are not consumed yet.
        return HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Adoption, asOf);
    }
}
