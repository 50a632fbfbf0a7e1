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
            Record(rollup, fact);
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
        var keyAccount = facts.KeyAccountFlags.LastOrDefault(f => f.At <= asOf)?.KeyAccount ?? false;
        var tier = keyAccount ? CustomerTier.KeyAccount : CustomerTier.Standard;
        return HealthEvaluation.Evaluate(facts, ScoringModel.Default, tier, LifecycleStage.Adoption, asOf);
    }

    /// <summary>Adds one fact to the rollup (events the rollup does not use are ignored).</summary>
    public static void Record(CustomerFacts facts, CustomerEvent fact)
    {
        switch (fact)
        {
            case CustomerProfiled e: facts.Apply(e); break;
            case UsageRecorded e: facts.Apply(e); break;
            case SeatsReported e: facts.Apply(e); break;
            case TicketOpened e: facts.Apply(e); break;
            case TicketResponded e: facts.Apply(e); break;
            case TicketResolved e: facts.Apply(e); break;
            case TicketReopened e: facts.Apply(e); break;
            case SurveyAnswered e: facts.Apply(e); break;
            case ContractSigned e: facts.Apply(e); break;
            case ContractAmended e: facts.Apply(e); break;
            case ContractRenewed e: facts.Apply(e); break;
            case ContractCancelled e: facts.Apply(e); break;
            case StakeholderChanged e: facts.Apply(e); break;
            case ReferralMade e: facts.Apply(e); break;
            case FeedbackRecorded e: facts.Apply(e); break;
            default: break;
        }
    }
}
