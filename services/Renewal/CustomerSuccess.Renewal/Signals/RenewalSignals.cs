using CustomerSuccess.Renewal.Domain;
using CustomerSuccess.Renewal.Renewals;
using CustomerSuccess.EventSourcing.EventStore;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Renewal.Signals;

/// <summary>Records a signal from another service (health, tier, overdue delivery) once, and re-decides the customer's risk.</summary>
public sealed class RenewalSignals(IDocumentStore store, IOptions<RenewalSettings> settings, TimeProvider time, CustomerStreamLocks locks, GroupCommits commits)
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
            return CustomerSignals.RecordOnceAsync(store, locks, signals, now, async (session, customers, ct) =>
            {
                // Every customer's stream in one round trip, as a page of ingested events does.
                var batch = session.CreateBatchQuery();
                var streams = customers.Select(c => batch.Events.FetchForWriting<CustomerRenewal>(c.CustomerId)).ToList();
                await batch.Execute(ct);
                for (var i = 0; i < customers.Count; i++)
                {
                    RenewalRecorder.Append(await streams[i], customers[i].CustomerId, customers[i].Facts, settings.Value, now);
                }
            }, cancellationToken);
        });
}
