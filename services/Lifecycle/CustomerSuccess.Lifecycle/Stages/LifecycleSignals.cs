using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Lifecycle.Domain;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Records signals from other services (health readings, renewal windows) once each, and decides what follows.</summary>
public sealed class LifecycleSignals(IDocumentStore store, TimeProvider time, IOptions<LifecycleSettings> settings, CustomerStreamLocks locks, GroupCommits commits)
{
    /// <summary>
    /// Records <paramref name="fact"/> unless <paramref name="ledgerId"/> was applied before, in one transaction with the
    /// id, together with the signals waiting in the same queue (<see cref="GroupCommits"/>). Ledger ids are prefixed by the
    /// message kind and '#', which no envelope id may contain, so they never collide with ingested events' ids.
    /// </summary>
    public Task RecordOnceAsync(ConsumeContext context, string ledgerId, string customerId, object fact) =>
        commits.ApplyAsync(context, new CustomerSignal(ledgerId, customerId, fact), customerId, (signals, cancellationToken) =>
        {
            var now = time.GetUtcNow();
            return CustomerSignals.RecordOnceAsync(store, locks, signals, now, (session, customers, ct) =>
                LifecycleRecorder.RecordAsync(session, customers.Select(c => new NewLifecycleFacts(c.CustomerId, c.Facts)).ToList(), settings.Value, now, ct),
                cancellationToken);
        });
}
