using CustomerSuccess.Renewal.Domain;
using CustomerSuccess.Renewal.Renewals;
using CustomerSuccess.EventSourcing.EventStore;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Renewal.Signals;

/// <summary>Records a signal from another service (health, tier, overdue delivery) once, and re-decides the customer's risk.</summary>
public sealed class RenewalSignals(IDocumentStore store, IOptions<RenewalSettings> settings, TimeProvider time, CustomerStreamLocks locks)
{
    /// <summary>
    /// Records <paramref name="fact"/> unless <paramref name="ledgerId"/> was applied before, in one transaction with the
    /// id. Ledger ids are prefixed by the message kind and '#', which no envelope id may contain, so they never collide
    /// with ingested events' ids.
    /// </summary>
    public async Task RecordOnceAsync(string ledgerId, string customerId, object fact, CancellationToken cancellationToken)
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

        var now = time.GetUtcNow();
        using var entered = await locks.EnterAsync([customerId], cancellationToken);
        await RenewalRecorder.RecordAsync(session, customerId, [fact], settings.Value, now, cancellationToken);
        session.RecordApplied(fresh, now);
        await session.SaveChangesAsync(cancellationToken);
    }
}
