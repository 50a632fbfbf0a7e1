using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Renewal.Domain;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>Keeps contract, invoice and stakeholder events in the customer's Renewal stream and decides what follows from them.</summary>
public sealed class RenewalEventsConsumer(IDocumentStore store, TimeProvider time, IOptions<RenewalSettings> settings, CustomerStreamLocks locks, GroupCommits commits)
    : CustomerEventsConsumer(store, time, commits)
{
    /// <summary>The ingested event types Renewal keeps: those its stream's state (<see cref="CustomerRenewal"/>) records.</summary>
    public static readonly IReadOnlySet<Type> KeptTypes = CustomerEventTypes.HandledBy(typeof(CustomerRenewal), "Record");

    // The health, tier and overdue consumers write the same streams from other queues.
    protected override async Task<IDisposable?> EnterAsync(IReadOnlyList<CustomerEvents> customers, CancellationToken cancellationToken) =>
        await locks.EnterAsync(customers.Select(c => c.CustomerId), cancellationToken);

    protected override bool Keeps(CustomerEvent customerEvent) => KeptTypes.Contains(customerEvent.GetType());

    protected override async Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken) =>
        await RenewalRecorder.RecordAsync(session, customerId, Facts(events), settings.Value, now, cancellationToken);

    // All the customers of a page at once: their streams are read in one round trip, not one per customer.
    protected override async Task ApplyAsync(IDocumentSession session, IReadOnlyList<CustomerEvents> customers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(customers);
        var batch = session.CreateBatchQuery();
        var streams = customers.Select(c => batch.Events.FetchForWriting<CustomerRenewal>(c.CustomerId)).ToList();
        await batch.Execute(cancellationToken);
        for (var i = 0; i < customers.Count; i++)
        {
            RenewalRecorder.Append(await streams[i], customers[i].CustomerId, Facts(customers[i].Events), settings.Value, now);
        }
    }

    private static object[] Facts(IEnumerable<CustomerEvent> events) => events.OrderBy(e => e.OccurredAt).ToArray<object>();
}

/// <summary>Receives on <see cref="QueueNames.RenewalEvents"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class RenewalEventsConsumerDefinition() : GroupCommitDefinition<RenewalEventsConsumer>(QueueNames.RenewalEvents);
