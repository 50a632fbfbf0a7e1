using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Lifecycle.Domain;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>HealthScore's health changes: sustained healthy use in adoption makes a customer mature; outcome feeds the tier.</summary>
public sealed class CustomerHealthChangedConsumer(IDocumentStore store, TimeProvider time, IOptions<LifecycleSettings> settings, CustomerStreamLocks locks) : IConsumer<CustomerHealthChanged>
{
    public Task Consume(ConsumeContext<CustomerHealthChanged> context)
    {
        var message = context.Message;
        var observed = new HealthObserved(message.EventId, message.Band, message.Outcome, message.EvaluatedAt);
        return LifecycleRecorder.RecordOnceAsync(
            store, locks, $"health#{message.EventId}", message.CustomerId, observed, settings.Value, time.GetUtcNow(), context.CancellationToken);
    }
}

/// <summary>Receives on <see cref="QueueNames.LifecycleHealthChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerHealthChangedConsumerDefinition : ConsumerDefinition<CustomerHealthChangedConsumer>
{
    public CustomerHealthChangedConsumerDefinition() => EndpointName = QueueNames.LifecycleHealthChanged;
}
