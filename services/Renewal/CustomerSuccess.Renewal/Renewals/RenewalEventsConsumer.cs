using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using Marten;
using MassTransit;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>Keeps contract and invoice events in the customer's Renewal stream.</summary>
public sealed class RenewalEventsConsumer(IDocumentStore store, TimeProvider time) : CustomerEventsConsumer(store, time)
{
    /// <summary>The ingested event types Renewal keeps: those its stream's aggregate (<see cref="CustomerRenewal"/>) applies.</summary>
    public static readonly IReadOnlySet<Type> KeptTypes = CustomerEventTypes.HandledBy(typeof(CustomerRenewal), "Apply");

    protected override bool Keeps(CustomerEvent customerEvent) => KeptTypes.Contains(customerEvent.GetType());

    protected override async Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<CustomerRenewal>(customerId, cancellationToken);
        stream.AppendMany(events.OrderBy(e => e.OccurredAt).ToArray<object>());
    }
}

/// <summary>Receives on <see cref="QueueNames.RenewalEvents"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class RenewalEventsConsumerDefinition : ConsumerDefinition<RenewalEventsConsumer>
{
    public RenewalEventsConsumerDefinition() => EndpointName = QueueNames.RenewalEvents;
}
