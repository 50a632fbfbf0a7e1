using CustomerSuccess.Lifecycle.Domain;
using CustomerSuccess.EventSourcing.Observability;
using Marten;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>
/// The edge between the pure decider and the store: reads the customers' histories, appends what the decider says (the
/// new facts, the day's calibration, the changes to publish) and stores each customer's summary, all in the caller's
/// session (one transaction with the applied-id ledger). The relay publishes the changes once they are committed.
/// </summary>
public static class LifecycleRecorder
{
    /// <summary>Records new facts (may be none: a re-evaluation alone) for several customers, each at most once.</summary>
    /// <returns>Per customer, in order: its lifecycle as of <paramref name="now"/> after the append.</returns>
    public static async Task<IReadOnlyList<LifecycleView>> RecordAsync(
        IDocumentSession session, IReadOnlyList<NewLifecycleFacts> customers, LifecycleSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(customers);
        if (customers.Count == 0)
        {
            return [];
        }

        // Each stream keeps Marten's optimistic check: a concurrent write to any of them fails the whole session.
        var batch = session.CreateBatchQuery();
        var streams = customers.Select(c => batch.Events.FetchForWriting<LifecycleHistory>(c.CustomerId)).ToList();
        await batch.Execute(cancellationToken);

        var views = new List<LifecycleView>(customers.Count);
        for (var i = 0; i < customers.Count; i++)
        {
            var stream = await streams[i];
            var history = stream.Aggregate ?? new LifecycleHistory { Id = customers[i].CustomerId };
            var decided = LifecycleDecider.Decide(history, customers[i].Facts, settings, now);
            if (decided.Count > 0)
            {
                stream.AppendMany(decided.ToArray());
                CountChanges(decided);
            }

            // Never evolve stream.Aggregate itself: Marten applies the appended events to that very instance on commit.
            var next = history.Copy();
            next.Id = customers[i].CustomerId;
            foreach (var e in decided)
            {
                next.Evolve(e);
            }

            var view = LifecycleTimeline.Derive(next, settings, now);
            if (LifecycleSummary.From(view) is { } summary)
            {
                session.Store(summary);
            }

            views.Add(view);
        }

        return views;
    }

    /// <summary>The changes the relay publishes, counted where they are appended.</summary>
    private static void CountChanges(IReadOnlyList<object> appended)
    {
        EmittedChanges.Count("stage", appended.Count(e => e is StageChanged));
        EmittedChanges.Count("tier", appended.Count(e => e is TierChanged));
        EmittedChanges.Count("milestone_overdue", appended.Count(e => e is MilestoneOverdueChanged));
    }
}

/// <summary>New stream events for one customer (may be none).</summary>
public sealed record NewLifecycleFacts(string CustomerId, IReadOnlyList<object> Facts);
