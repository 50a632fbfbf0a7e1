using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Lifecycle.Domain;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>Renewal opened a renewal window (possibly earlier than the contract dates say, for a difficult customer).</summary>
public sealed class RenewalWindowOpenedConsumer(IDocumentStore store, TimeProvider time, IOptions<LifecycleSettings> settings, CustomerStreamLocks locks) : IConsumer<RenewalWindowOpened>
{
    public Task Consume(ConsumeContext<RenewalWindowOpened> context)
    {
        var message = context.Message;
        var observed = new RenewalWindowObserved(message.EventId, message.ContractId, message.EndsOn, message.OpenedOn);
        return LifecycleRecorder.RecordOnceAsync(
            store, locks, $"window#{message.EventId}", message.CustomerId, observed, settings.Value, time.GetUtcNow(), context.CancellationToken);
    }
}

/// <summary>Receives on <see cref="QueueNames.LifecycleRenewalWindowOpened"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class RenewalWindowOpenedConsumerDefinition : ConsumerDefinition<RenewalWindowOpenedConsumer>
{
    public RenewalWindowOpenedConsumerDefinition() => EndpointName = QueueNames.LifecycleRenewalWindowOpened;
}
