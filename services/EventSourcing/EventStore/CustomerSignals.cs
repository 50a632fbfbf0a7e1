using Marten;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// A change another service announced about one customer (a tier, a stage, a health reading, an overdue milestone), as
/// the fact to record in the customer's stream, under the ledger id that records it once.
/// </summary>
/// <param name="LedgerId">The id in the applied-id ledger: the message kind, '#', and the announcing event's id.</param>
/// <param name="CustomerId">The customer the change is about.</param>
/// <param name="Fact">The stream event that records it.</param>
public sealed record CustomerSignal(string LedgerId, string CustomerId, object Fact);

/// <summary>One customer's new facts from several signals, in the order they arrived.</summary>
public sealed record SignalledFacts(string CustomerId, IReadOnlyList<object> Facts);

public static class CustomerSignals
{
    /// <summary>
    /// Records the <paramref name="signals"/> not applied before in one transaction with their ledger ids: each customer's
    /// facts together, in arrival order, under the customers' locks (<paramref name="record"/> appends them and whatever
    /// follows). A signal applied before, or repeated in the list, is recorded once.
    /// </summary>
    public static async Task RecordOnceAsync(
        IDocumentStore store, CustomerStreamLocks locks, IReadOnlyList<CustomerSignal> signals, DateTimeOffset now,
        Func<IDocumentSession, IReadOnlyList<SignalledFacts>, CancellationToken, Task> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(locks);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(record);
        if (signals.FirstOrDefault(s => string.IsNullOrWhiteSpace(s.CustomerId)) is { } anonymous)
        {
            throw new ArgumentException($"The message of {anonymous.LedgerId} names no customer.", nameof(signals));
        }

        await using var session = store.LightweightSession();
        var fresh = await session.NotYetAppliedAsync(signals, s => s.LedgerId, cancellationToken);
        if (fresh.Count == 0)
        {
            return;
        }

        var customers = fresh.GroupBy(s => s.CustomerId, StringComparer.Ordinal)
            .Select(c => new SignalledFacts(c.Key, c.Select(s => s.Fact).ToList()))
            .ToList();
        using var entered = await locks.EnterAsync(customers.Select(c => c.CustomerId), cancellationToken);
        await record(session, customers, cancellationToken);
        session.RecordApplied(fresh.Select(s => s.LedgerId), now);
        await session.SaveChangesAsync(cancellationToken);
    }
}
