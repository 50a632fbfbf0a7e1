using CustomerSuccess.Contracts.Events;
using Marten;
using MassTransit;

namespace CustomerSuccess.ServiceDefaults.EventStore;

/// <summary>
/// Applies the ingested events a service cares about to its own per-customer streams, exactly once in
/// effect: ids already applied are skipped, and the ids, the appends and whatever the service derives
/// from them commit in one transaction. A conflicting concurrent write fails the message, which
/// MassTransit retries; after the retries it goes to the error queue, never dropped.
/// </summary>
public abstract class CustomerEventsConsumer(IDocumentStore store, TimeProvider time) : IConsumer<CustomerEventsIngested>
{
    /// <summary>Whether this service keeps events of this kind.</summary>
    protected abstract bool Keeps(CustomerEvent customerEvent);

    /// <summary>Appends one customer's new events (not applied before, in log order) and derives what follows from them.</summary>
    protected abstract Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken);

    public async Task Consume(ConsumeContext<CustomerEventsIngested> context)
    {
        var kept = context.Message.Events.Where(Keeps).ToList();
        if (kept.Count == 0)
        {
            return;
        }

        var cancellationToken = context.CancellationToken;
        await using var session = store.LightweightSession();
        var fresh = await session.NotYetAppliedAsync(kept, e => e.EventId, cancellationToken);
        if (fresh.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var customer in fresh.GroupBy(e => e.CustomerId, StringComparer.Ordinal))
        {
            await ApplyAsync(session, customer.Key, customer.ToList(), now, cancellationToken);
        }

        session.RecordApplied(fresh.Select(e => e.EventId), now);
        await session.SaveChangesAsync(cancellationToken);
    }
}
