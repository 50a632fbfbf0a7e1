using System.Diagnostics;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.ScoringModels;
using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// The edge between the pure scoring and the store: keeps facts (and the tier and stage Lifecycle gave the customer) in
/// the customer's stream and appends <see cref="HealthEvaluated"/> whenever an evaluation gives a different result than
/// the last one, marked significant when it is worth publishing.
/// </summary>
public static class CustomerHealthEvaluator
{
    /// <summary>
    /// Appends <paramref name="changes"/> (stream events for the rollup; may be none) and, if the result under
    /// <paramref name="model"/> as of <paramref name="asOf"/> changed, a <see cref="HealthEvaluated"/>; commits with the
    /// session. A customer without a single fact is not evaluated: there is nothing to say about it yet.
    /// </summary>
    /// <returns>The evaluation appended, or null when the result did not change.</returns>
    public static async Task<HealthEvaluated?> RecordAsync(
        IDocumentSession session, string customerId, IReadOnlyList<object> changes, ScoringModel model, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        (await RecordAsync(session, [new CustomerChanges(customerId, changes)], model, asOf, cancellationToken))[0];

    /// <summary>
    /// <see cref="RecordAsync(IDocumentSession, string, IReadOnlyList{object}, ScoringModel, DateTimeOffset, CancellationToken)"/>
    /// for several customers (each at most once): their rollups and health are read in one round trip, not two per customer.
    /// Each stream keeps Marten's optimistic check (the version read here is expected on commit), so a concurrent write to
    /// any of them fails the whole session.
    /// </summary>
    /// <returns>Per customer, in order: the evaluation appended, or null when the result did not change.</returns>
    public static Task<IReadOnlyList<HealthEvaluated?>> RecordAsync(
        IDocumentSession session, IReadOnlyList<CustomerChanges> customers, ScoringModel model, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return RecordAsync(session, customers, _ => { }, (_, _) => Task.FromResult(model), asOf, cancellationToken);
    }

    /// <summary>
    /// As <see cref="RecordAsync(IDocumentSession, IReadOnlyList{CustomerChanges}, ScoringModel, DateTimeOffset, CancellationToken)"/>
    /// under the current model as <paramref name="models"/> holds it; whether a newer one was adopted is asked in the same
    /// round trip as the customers' state.
    /// </summary>
    public static Task<IReadOnlyList<HealthEvaluated?>> RecordAsync(
        IDocumentSession session, IReadOnlyList<CustomerChanges> customers, CurrentScoringModel models, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var freshness = default(CurrentScoringModel.Freshness);
        return RecordAsync(
            session, customers, batch => { freshness = models.Check(batch); }, (s, ct) => models.CurrentAsync(freshness, s, ct), asOf, cancellationToken);
    }

    private static async Task<IReadOnlyList<HealthEvaluated?>> RecordAsync(
        IDocumentSession session, IReadOnlyList<CustomerChanges> customers, Action<IBatchedQuery> addToBatch,
        Func<IDocumentSession, CancellationToken, Task<ScoringModel>> modelAfterBatch, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(customers);
        if (customers.Count == 0)
        {
            return [];
        }

        var batch = session.CreateBatchQuery();
        var streams = customers.Select(c => batch.Events.FetchForWriting<CustomerFacts>(c.CustomerId)).ToList();
        var healths = batch.LoadMany<CustomerHealth>().ById(customers.Select(c => c.CustomerId).ToArray());
        addToBatch(batch);
        await batch.Execute(cancellationToken);
        var model = await modelAfterBatch(session, cancellationToken);

        var healthById = (await healths).ToDictionary(h => h.Id, StringComparer.Ordinal);
        var evaluations = new HealthEvaluated?[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            var customer = customers[i];
            evaluations[i] = Record(await streams[i], healthById.GetValueOrDefault(customer.CustomerId), customer, model, asOf);
        }

        return evaluations;
    }

    private static HealthEvaluated? Record(IEventStream<CustomerFacts> stream, CustomerHealth? health, CustomerChanges customer, ScoringModel model, DateTimeOffset asOf)
    {
        // Never record into stream.Aggregate itself: Marten applies the appended events to that very instance on commit.
        var rollup = stream.Aggregate?.Copy() ?? new CustomerFacts { Id = customer.CustomerId };
        var appended = new List<object>();
        if (rollup.RetentionDays != model.RetentionDays)
        {
            appended.Add(new FactsRetentionChanged(model.RetentionDays));
        }

        appended.AddRange(customer.Changes);
        foreach (var change in appended)
        {
            CustomerFactsProjection.Record(rollup, change);
        }

        HealthEvaluated? evaluated = null;
        if (rollup.FirstOccurredAt is not null)
        {
            var startedAt = Stopwatch.GetTimestamp();
            var result = HealthEvaluation.Evaluate(rollup, model, asOf);
            ScoringMetrics.Evaluated(startedAt);
            evaluated = Decide(health, customer.CustomerId, result, model);
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

        // Also significant when a measure renewal risk weighs moves, so Renewal hears of it.
        var lastSignificant = health?.LastSignificant;
        var significant = result.IsSignificantChangeFrom(lastSignificant?.ToResult(), model)
                          || HealthEvaluated.RiskReadingsMoved(
                              HealthEvaluated.RiskReadings(result.Contributions),
                              lastSignificant is null ? null : HealthEvaluated.RiskReadings(lastSignificant.Contributions));
        var candidate = HealthEvaluated.From(customerId, result, significant);
        return candidate.SameResultAs(health?.Latest) ? null : candidate;
    }
}

/// <summary>Stream events to record for one customer (may be none: a re-evaluation alone).</summary>
public sealed record CustomerChanges(string CustomerId, IReadOnlyList<object> Changes);
