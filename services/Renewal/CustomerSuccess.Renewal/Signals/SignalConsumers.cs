using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Renewal.Domain;
using MassTransit;

namespace CustomerSuccess.Renewal.Signals;

/// <summary>HealthScore's health moved: band, quadrant, trend and the measure readings risk weighs.</summary>
public sealed class CustomerHealthChangedConsumer(RenewalSignals signals, TimeProvider time) : IConsumer<CustomerHealthChanged>
{
    public Task Consume(ConsumeContext<CustomerHealthChanged> context)
    {
        // A reading counts from its own instant, but never after Renewal heard of it: a clock a little ahead on
        // HealthScore's side must not hide the reading from the risk decided now.
        var now = time.GetUtcNow();
        var recorded = HealthRecorded.From(context.Message);
        recorded = recorded.EvaluatedAt > now ? recorded with { EvaluatedAt = now } : recorded;
        return signals.RecordOnceAsync(context, $"health#{context.Message.EventId}", context.Message.CustomerId, recorded);
    }
}

/// <summary>Lifecycle moved the customer to another tier (the worklist filter and the distribution).</summary>
public sealed class CustomerTierChangedConsumer(RenewalSignals signals) : IConsumer<CustomerTierChanged>
{
    public Task Consume(ConsumeContext<CustomerTierChanged> context)
    {
        var message = context.Message;
        return signals.RecordOnceAsync(context, $"tier#{message.EventId}", message.CustomerId, new TierRecorded(message.EventId, message.Tier, message.ChangedAt));
    }
}

/// <summary>Lifecycle said a delivery milestone became overdue, or stopped being overdue.</summary>
public sealed class CustomerMilestoneOverdueChangedConsumer(RenewalSignals signals) : IConsumer<CustomerMilestoneOverdueChanged>
{
    public Task Consume(ConsumeContext<CustomerMilestoneOverdueChanged> context)
    {
        var message = context.Message;
        return signals.RecordOnceAsync(
            context, $"overdue#{message.EventId}", message.CustomerId,
            new MilestoneOverdueRecorded(message.EventId, message.Milestone, message.DueOn, message.Overdue, message.ChangedAt));
    }
}

/// <summary>Receives on <see cref="QueueNames.RenewalHealthChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerHealthChangedConsumerDefinition() : GroupCommitDefinition<CustomerHealthChangedConsumer>(QueueNames.RenewalHealthChanged);

/// <summary>Receives on <see cref="QueueNames.RenewalTierChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerTierChangedConsumerDefinition() : GroupCommitDefinition<CustomerTierChangedConsumer>(QueueNames.RenewalTierChanged);

/// <summary>Receives on <see cref="QueueNames.RenewalMilestoneOverdueChanged"/>, the queue deployed brokers hold for this consumer.</summary>
public sealed class CustomerMilestoneOverdueChangedConsumerDefinition() : GroupCommitDefinition<CustomerMilestoneOverdueChangedConsumer>(QueueNames.RenewalMilestoneOverdueChanged);
