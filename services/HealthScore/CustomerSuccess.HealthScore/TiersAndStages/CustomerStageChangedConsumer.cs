using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using MassTransit;

namespace CustomerSuccess.HealthScore.TiersAndStages;

/// <summary>Lifecycle moved the customer to another stage: its outcome measures are weighted for that stage.</summary>
public sealed class CustomerStageChangedConsumer(LifecycleSignals signals, TimeProvider time) : IConsumer<CustomerStageChanged>
{
    public Task Consume(ConsumeContext<CustomerStageChanged> context)
    {
        var message = context.Message;
        var now = time.GetUtcNow();
        var recorded = new StageRecorded(message.EventId, message.Stage, message.ChangedAt, LifecycleSignals.EffectiveAt(message.ChangedAt, now));
        return signals.RecordOnceAsync(context, $"stage#{message.EventId}", message.CustomerId, recorded);
    }
}

/// <summary>Receives on <see cref="QueueNames.HealthScoreStageChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerStageChangedConsumerDefinition() : GroupCommitDefinition<CustomerStageChangedConsumer>(QueueNames.HealthScoreStageChanged);
