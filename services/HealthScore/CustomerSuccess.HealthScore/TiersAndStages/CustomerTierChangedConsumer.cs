using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using MassTransit;

namespace CustomerSuccess.HealthScore.TiersAndStages;

/// <summary>Lifecycle moved the customer to another tier: key accounts are scored with their own shares.</summary>
public sealed class CustomerTierChangedConsumer(LifecycleSignals signals, TimeProvider time) : IConsumer<CustomerTierChanged>
{
    public Task Consume(ConsumeContext<CustomerTierChanged> context)
    {
        var message = context.Message;
        var now = time.GetUtcNow();
        var recorded = new TierRecorded(message.EventId, message.Tier, message.Pinned, message.ChangedAt, LifecycleSignals.EffectiveAt(message.ChangedAt, now));
        return signals.RecordOnceAsync(context, $"tier#{message.EventId}", message.CustomerId, recorded);
    }
}

/// <summary>Receives on <see cref="QueueNames.HealthScoreTierChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerTierChangedConsumerDefinition() : GroupCommitDefinition<CustomerTierChangedConsumer>(QueueNames.HealthScoreTierChanged);
