using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Lifecycle.Domain;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Keeps the ingested facts that move a customer through its lifecycle in its stream and decides what follows.</summary>
public sealed class LifecycleEventsConsumer(IDocumentStore store, TimeProvider time, IOptions<LifecycleSettings> settings, CustomerStreamLocks locks, GroupCommits commits)
    : CustomerEventsConsumer(store, time, commits)
{
    /// <summary>The ingested event types Lifecycle keeps: those its stream's history dispatches (<see cref="LifecycleHistory"/>).</summary>
    public static readonly IReadOnlySet<Type> KeptTypes = LifecycleHistory.IngestedEventTypes;

    // The health and renewal-window consumers write the same streams from other queues.
    protected override async Task<IDisposable?> EnterAsync(IReadOnlyList<CustomerEvents> customers, CancellationToken cancellationToken) =>
        await locks.EnterAsync(customers.Select(c => c.CustomerId), cancellationToken);

    protected override bool Keeps(CustomerEvent customerEvent) => KeptTypes.Contains(customerEvent.GetType());

    protected override Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken) =>
        ApplyAsync(session, [new CustomerEvents(customerId, events)], now, cancellationToken);

    // All the customers of a page at once: their histories are read in one round trip.
    protected override Task ApplyAsync(IDocumentSession session, IReadOnlyList<CustomerEvents> customers, DateTimeOffset now, CancellationToken cancellationToken) =>
        LifecycleRecorder.RecordAsync(
            session, customers.Select(c => new NewLifecycleFacts(c.CustomerId, c.Events.ToArray<object>())).ToList(), settings.Value, now, cancellationToken);
}

/// <summary>Receives on <see cref="QueueNames.LifecycleEvents"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class LifecycleEventsConsumerDefinition() : GroupCommitDefinition<LifecycleEventsConsumer>(QueueNames.LifecycleEvents);
