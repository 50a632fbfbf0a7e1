using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.EventStore;
using Marten;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Keeps the events that move a customer through its lifecycle in its Lifecycle stream.</summary>
public sealed class LifecycleEventsConsumer(IDocumentStore store, TimeProvider time) : CustomerEventsConsumer(store, time)
{
    /// <summary>The ingested event types Lifecycle keeps.</summary>
    public static readonly IReadOnlySet<Type> KeptTypes = new HashSet<Type>
    {
        typeof(CustomerProfiled), typeof(ContractSigned), typeof(ContractRenewed), typeof(ContractCancelled), typeof(MilestoneReached),
    };

    protected override bool Keeps(CustomerEvent customerEvent) => KeptTypes.Contains(customerEvent.GetType());

    protected override async Task ApplyAsync(IDocumentSession session, string customerId, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<CustomerLifecycle>(customerId, cancellationToken);
        stream.AppendMany(events.OrderBy(e => e.OccurredAt).ToArray<object>());
    }
}
