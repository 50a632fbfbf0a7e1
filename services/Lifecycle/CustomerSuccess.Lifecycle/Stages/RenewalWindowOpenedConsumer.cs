using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Lifecycle.Domain;
using MassTransit;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Renewal opened a renewal window (possibly earlier than the contract dates say, for a difficult customer).</summary>
public sealed class RenewalWindowOpenedConsumer(LifecycleSignals signals) : IConsumer<RenewalWindowOpened>
{
    public Task Consume(ConsumeContext<RenewalWindowOpened> context)
    {
        var message = context.Message;
        var observed = new RenewalWindowObserved(message.EventId, message.ContractId, message.EndsOn, message.OpenedOn);
        return signals.RecordOnceAsync(context, $"window#{message.EventId}", message.CustomerId, observed);
    }
}

/// <summary>Receives on <see cref="QueueNames.LifecycleRenewalWindowOpened"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class RenewalWindowOpenedConsumerDefinition() : GroupCommitDefinition<RenewalWindowOpenedConsumer>(QueueNames.LifecycleRenewalWindowOpened);
