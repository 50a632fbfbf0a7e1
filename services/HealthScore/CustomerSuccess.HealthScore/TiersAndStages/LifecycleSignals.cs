using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.ScoringModels;
using Marten;

namespace CustomerSuccess.HealthScore.TiersAndStages;

/// <summary>Applies a tier or stage change from Lifecycle to the customer's stream once, and re-evaluates the customer.</summary>
public static class LifecycleSignals
{
    /// <summary>
    /// Records <paramref name="change"/> unless <paramref name="ledgerId"/> was applied before, in one transaction with the
    /// id and the re-evaluation. The ledger id is prefixed by the message kind and '#': Lifecycle's ids and the
    /// client-chosen ids of ingested events share one ledger, and '#' is not allowed in an envelope id, so they never collide.
    /// </summary>
    public static async Task RecordOnceAsync(
        IDocumentStore store, CurrentScoringModel models, CustomerStreamLocks locks, string ledgerId, string customerId, object change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(customerId))
        {
            throw new ArgumentException("The message names no customer.", nameof(customerId));
        }

        await using var session = store.LightweightSession();
        var fresh = await session.NotYetAppliedAsync([ledgerId], id => id, cancellationToken);
        if (fresh.Count == 0)
        {
            return;
        }

        using var entered = await locks.EnterAsync([customerId], cancellationToken);
        await CustomerHealthEvaluator.RecordAsync(session, [new CustomerChanges(customerId, [change])], models, now, cancellationToken);
        session.RecordApplied(fresh, now);
        await session.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A change counts from its own instant, but never before HealthScore heard of it.</summary>
    public static DateTimeOffset EffectiveAt(DateTimeOffset changedAt, DateTimeOffset now) => changedAt <= now ? changedAt : now;
}
