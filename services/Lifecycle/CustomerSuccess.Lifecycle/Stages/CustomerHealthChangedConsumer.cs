using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Lifecycle.Domain;
using MassTransit;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>HealthScore's health changes: sustained healthy use in adoption makes a customer mature; outcome feeds the tier.</summary>
public sealed class CustomerHealthChangedConsumer(LifecycleSignals signals) : IConsumer<CustomerHealthChanged>
{
    public Task Consume(ConsumeContext<CustomerHealthChanged> context)
    {
        var message = context.Message;
        var observed = new HealthObserved(message.EventId, message.Band, message.Outcome, message.EvaluatedAt);
        return signals.RecordOnceAsync(context, $"health#{message.EventId}", message.CustomerId, observed);
    }
}

/// <summary>Receives on <see cref="QueueNames.LifecycleHealthChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerHealthChangedConsumerDefinition() : GroupCommitDefinition<CustomerHealthChangedConsumer>(QueueNames.LifecycleHealthChanged);
