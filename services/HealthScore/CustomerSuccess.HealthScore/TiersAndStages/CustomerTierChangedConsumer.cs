using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.ScoringModels;
using Marten;
using MassTransit;

namespace CustomerSuccess.HealthScore.TiersAndStages;

/// <summary>Lifecycle moved the customer to another tier: key accounts are scored with their own shares.</summary>
public sealed class CustomerTierChangedConsumer(IDocumentStore store, TimeProvider time, CurrentScoringModel models, CustomerStreamLocks locks) : IConsumer<CustomerTierChanged>
{
    public Task Consume(ConsumeContext<CustomerTierChanged> context)
    {
        var message = context.Message;
        var now = time.GetUtcNow();
        var recorded = new TierRecorded(message.EventId, message.Tier, message.Pinned, message.ChangedAt, LifecycleSignals.EffectiveAt(message.ChangedAt, now));
        return LifecycleSignals.RecordOnceAsync(store, models, locks, $"tier#{message.EventId}", message.CustomerId, recorded, now, context.CancellationToken);
    }
}

/// <summary>Receives on <see cref="QueueNames.HealthScoreTierChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerTierChangedConsumerDefinition : ConsumerDefinition<CustomerTierChangedConsumer>
{
    public CustomerTierChangedConsumerDefinition() => EndpointName = QueueNames.HealthScoreTierChanged;
}
