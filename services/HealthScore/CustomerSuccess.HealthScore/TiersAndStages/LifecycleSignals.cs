using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.ScoringModels;
using Marten;
using MassTransit;

namespace CustomerSuccess.HealthScore.TiersAndStages;

/// <summary>Applies tier and stage changes from Lifecycle to the customers' streams once each, and re-evaluates the customers.</summary>
public sealed class LifecycleSignals(IDocumentStore store, TimeProvider time, CurrentScoringModel models, CustomerStreamLocks locks, GroupCommits commits)
{
    /// <summary>
    /// Records <paramref name="change"/> unless <paramref name="ledgerId"/> was applied before, in one transaction with the
    /// id and the re-evaluation, together with the changes waiting in the same queue (<see cref="GroupCommits"/>). The
    /// ledger id is prefixed by the message kind and '#': Lifecycle's ids and the client-chosen ids of ingested events
    /// share one ledger, and '#' is not allowed in an envelope id, so they never collide.
    /// </summary>
    public Task RecordOnceAsync(ConsumeContext context, string ledgerId, string customerId, object change) =>
        commits.ApplyAsync(context, new CustomerSignal(ledgerId, customerId, change), customerId, (signals, cancellationToken) =>
        {
            var now = time.GetUtcNow();
            return CustomerSignals.RecordOnceAsync(store, locks, signals, now, (session, customers, ct) =>
                CustomerHealthEvaluator.RecordAsync(session, customers.Select(c => new CustomerChanges(c.CustomerId, c.Facts)).ToList(), models, now, ct),
                cancellationToken);
        });

    /// <summary>A change counts from its own instant, but never before HealthScore heard of it.</summary>
    public static DateTimeOffset EffectiveAt(DateTimeOffset changedAt, DateTimeOffset now) => changedAt <= now ? changedAt : now;
}
