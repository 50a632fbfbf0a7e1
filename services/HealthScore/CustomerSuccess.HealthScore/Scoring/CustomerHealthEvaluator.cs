using CustomerSuccess.Contracts.Events;
using Marten;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// The edge between the pure scoring and the store: keeps facts (and the tier and stage Lifecycle gave the customer) in
/// the customer's stream and appends <see cref="HealthEvaluated"/> whenever an evaluation gives a different result than
/// the last one, marked significant when it is worth publishing.
/// </summary>
public static class CustomerHealthEvaluator
{
    /// <summary>Contract events the facts rollup uses; everything else is not HealthScore's business.</summary>
    public static bool IsFact(CustomerEvent customerEvent) => customerEvent is CustomerProfiled or UsageRecorded or SeatsReported
        or TicketOpened or TicketResponded or TicketResolved or TicketReopened or SurveyAnswered
        or ContractSigned or ContractAmended or ContractRenewed or ContractCancelled
        or StakeholderChanged or ReferralMade or FeedbackRecorded;

    /// <summary>
    /// Appends <paramref name="changes"/> (stream events for the rollup; may be none) and, if the result under
    /// <paramref name="model"/> as of <paramref name="asOf"/> changed, a <see cref="HealthEvaluated"/>; commits with the
    /// session. A customer without a single fact is not evaluated: there is nothing to say about it yet.
    /// </summary>
    /// <returns>The evaluation appended, or null when the result did not change.</returns>
    public static async Task<HealthEvaluated?> RecordAsync(
        IDocumentSession session, string customerId, IReadOnlyList<object> changes, ScoringModel model, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(model);
        var stream = await session.Events.FetchForWriting<CustomerFacts>(customerId, cancellationToken);

        // Never record into stream.Aggregate itself: Marten applies the appended events to that very instance on commit.
        var rollup = stream.Aggregate?.Copy() ?? new CustomerFacts { Id = customerId };
        var appended = new List<object>();
        if (rollup.RetentionDays != model.RetentionDays)
        {
            appended.Add(new FactsRetentionChanged(model.RetentionDays));
        }

        appended.AddRange(changes);
        foreach (var change in appended)
        {
            CustomerFactsProjection.Record(rollup, change);
        }

        HealthEvaluated? evaluated = null;
        if (rollup.FirstOccurredAt is not null)
        {
            var health = await session.LoadAsync<CustomerHealth>(customerId, cancellationToken);
            evaluated = Decide(health, customerId, HealthEvaluation.Evaluate(rollup, model, asOf), model);
            if (evaluated is not null)
            {
                appended.Add(evaluated);
            }
        }

        if (appended.Count > 0)
        {
            stream.AppendMany(appended.ToArray());
        }

        return evaluated;
    }

    /// <summary>
    /// The evaluation to append after the customer's <paramref name="health"/> so far, or null when the result says
    /// nothing new (the instant alone is no change). It is significant when band, quadrant or score by the model's
    /// publish margin moved since the last significant one, not merely since the last one, so a slow drift is published
    /// once it adds up to the margin. An evaluation as of an instant before the latest one is never appended.
    /// </summary>
    public static HealthEvaluated? Decide(CustomerHealth? health, string customerId, HealthResult result, ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (health?.Latest is { } latest && latest.EvaluatedAt > result.EvaluatedAt)
        {
            // A late or catch-up run as of an earlier instant must not overwrite what a newer evaluation said.
            return null;
        }

        var candidate = HealthEvaluated.From(customerId, result, result.IsSignificantChangeFrom(health?.LastSignificant?.ToResult(), model));
        return candidate.SameResultAs(health?.Latest) ? null : candidate;
    }
}
