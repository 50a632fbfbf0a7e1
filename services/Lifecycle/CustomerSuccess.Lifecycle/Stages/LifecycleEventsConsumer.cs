using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using Marten;
using MassTransit;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Keeps the events that move a customer through its lifecycle in its Lifecycle stream.</summary>
public sealed class LifecycleEventsConsumer(IDocumentStore store, TimeProvider time) : CustomerEventsConsumer(store, time)
{
    /// <summary>The ingested event types Lifecycle keeps: those its stream's aggregate (<see cref="CustomerLifecycle"/>) applies.</summary>
    public static readonly IReadOnlySet<Type> KeptTypes = CustomerEventTypes.HandledBy(typeof(CustomerLifecycle), "Apply");

    protected override bool Keeps(CustomerEvent customerEvent) => KeptTypes.Contains(customerEvent.GetType());

    protected override async Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<CustomerLifecycle>(customerId, cancellationToken);
        stream.AppendMany(events.OrderBy(e => e.OccurredAt).ToArray<object>());
    }
}

/// <summary>Receives on <see cref="QueueNames.LifecycleEvents"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class LifecycleEventsConsumerDefinition : ConsumerDefinition<LifecycleEventsConsumer>
{
    public LifecycleEventsConsumerDefinition() => EndpointName = QueueNames.LifecycleEvents;
}
