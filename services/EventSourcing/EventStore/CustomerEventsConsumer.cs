using CustomerSuccess.Contracts.Events;
using Marten;
using CustomerSuccess.EventSourcing.Observability;
using MassTransit;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// Applies the ingested events a service cares about to its own per-customer streams, exactly once in
/// effect: ids already applied are skipped, and the ids, the appends and whatever the service derives
/// from them commit in one transaction — the transaction of one page, or of several waiting pages together
/// (<see cref="GroupCommits"/>). A conflicting concurrent write fails the message, which
/// MassTransit retries; after the retries it goes to the error queue, never dropped.
/// </summary>
public abstract class CustomerEventsConsumer(IDocumentStore store, TimeProvider time, GroupCommits commits) : IConsumer<CustomerEventsIngested>
{
    /// <summary>Whether this service keeps events of this kind.</summary>
    protected abstract bool Keeps(CustomerEvent customerEvent);

    /// <summary>Appends one customer's new events (not applied before, in log order) and derives what follows from them.</summary>
    protected abstract Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the new events of every customer in the message (each customer once, events in log order), by default
    /// customer by customer. A service overrides this to read all the customers' state in one round trip.
    /// </summary>
    protected virtual async Task ApplyAsync(IDocumentSession session, IReadOnlyList<CustomerEvents> customers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        foreach (var customer in customers)
        {
            await ApplyAsync(session, customer.CustomerId, customer.Events, now, cancellationToken);
        }
    }

    /// <summary>
    /// Held from reading the customers' streams to the commit. By default nothing; a service whose other consumers write
    /// the same streams serialises them here, so they do not fail each other's version check.
    /// </summary>
    protected virtual Task<IDisposable?> EnterAsync(IReadOnlyList<CustomerEvents> customers, CancellationToken cancellationToken) =>
        Task.FromResult<IDisposable?>(null);

    public Task Consume(ConsumeContext<CustomerEventsIngested> context) => commits.ApplyAsync(context, ApplyPagesAsync);

    // Several pages (consecutive messages of this queue) in one transaction: their events in delivery order, each id once.
    private async Task ApplyPagesAsync(IReadOnlyList<ConsumeContext<CustomerEventsIngested>> pages, CancellationToken cancellationToken)
    {
        var kept = pages.SelectMany(p => p.Message.Events).Where(Keeps).ToList();
        if (kept.Count == 0)
        {
            return;
        }

        // A page consumed alone runs inside its own consume span; a group gets one span linked to all their traces.
        using var groupSpan = pages.Count > 1 ? EventTracing.StartConsumeGroup(pages) : null;
        await using var session = store.LightweightSession();
        var fresh = await session.NotYetAppliedAsync(kept, e => e.EventId, cancellationToken);
        if (fresh.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var customers = fresh.GroupBy(e => e.CustomerId, StringComparer.Ordinal)
            .Select(customer => new CustomerEvents(customer.Key, customer.ToList()))
            .ToList();
        using var entered = await EnterAsync(customers, cancellationToken);
        await ApplyAsync(session, customers, now, cancellationToken);

        session.RecordApplied(fresh.Select(e => e.EventId), now);
        await session.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>One customer's new events from a message, in log order.</summary>
public sealed record CustomerEvents(string CustomerId, IReadOnlyList<CustomerEvent> Events);
