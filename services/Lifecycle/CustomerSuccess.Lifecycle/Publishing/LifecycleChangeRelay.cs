using CustomerSuccess.Contracts.Events;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.Lifecycle.Domain;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Observability;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Publishing;

/// <summary>
/// Publishes every committed <see cref="StageChanged"/>, <see cref="TierChanged"/> and <see cref="MilestoneOverdueChanged"/>
/// as its integration event, never by hand after an append: the event store is the outbox. The daemon saves its position
/// only after a page is published, so a crash or broker outage replays from the last published page: at-least-once on
/// the wire, with the stored change's Marten event id as <c>EventId</c> so consumers de-duplicate. Stage and tier changes
/// also go to the CRM feed as CloudEvents with that id and the stream version as their sequence, in the same page.
/// </summary>
public sealed class LifecycleChangeRelay(IBus bus, IOptions<RabbitMqOptions> options, CloudEventPublisher crm) : BrokerRelay(bus, options)
{
    public const string RelayName = "lifecycle-change-relay";

    public const int PageSize = 500;

    /// <summary>The stream events this relay publishes.</summary>
    public static readonly IReadOnlyList<Type> PublishedTypes = [typeof(StageChanged), typeof(TierChanged), typeof(MilestoneOverdueChanged)];

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var changes = page.Events.Where(e => PublishedTypes.Contains(e.EventType)).ToList();
        using var span = changes.Count == 0 ? null : EventTracing.StartPage(RelayName, changes);
        await PublishPerCustomerAsync(changes, e => e.StreamKey!, PublishAsync, cancellationToken);
        await crm.PublishAsync(changes.Select(CrmEvent).OfType<CloudEventEnvelope>().ToList(), cancellationToken);
        return NullChangeListener.Instance;
    }

    /// <summary>The CRM feed event for a stored change (null for a change CRMs are not sent, e.g. an overdue milestone).</summary>
    public static CloudEventEnvelope? CrmEvent(IEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Message(change) switch
        {
            CustomerStageChanged stage => CrmEvents.StageChanged(stage, change.Version, change.CausationId),
            CustomerTierChanged tier => CrmEvents.TierChanged(tier, change.Version, change.CausationId),
            _ => null,
        };
    }

    private Task PublishAsync(IEvent change, CancellationToken cancellationToken) => Message(change) switch
    {
        CustomerStageChanged stage => PublishAsync(stage, 1, change.CausationId, cancellationToken),
        CustomerTierChanged tier => PublishAsync(tier, 1, change.CausationId, cancellationToken),
        CustomerMilestoneOverdueChanged overdue => PublishAsync(overdue, 1, change.CausationId, cancellationToken),
        _ => Task.CompletedTask,
    };

    /// <summary>The integration event for a stored change (null for any other event).</summary>
    public static object? Message(IEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var eventId = change.Id.ToString();
        var customerId = change.StreamKey ?? throw new InvalidOperationException($"Event {eventId} has no stream key.");
        return change.Data switch
        {
            StageChanged e => new CustomerStageChanged
            {
                EventId = eventId, CustomerId = customerId, PreviousStage = e.PreviousStage, Stage = e.Stage, ChangedAt = e.ChangedAt, Reason = e.Reason,
            },
            TierChanged e => new CustomerTierChanged
            {
                EventId = eventId, CustomerId = customerId, PreviousTier = e.PreviousTier, Tier = e.Tier, Pinned = e.Pinned, ChangedAt = e.ChangedAt,
                Reason = e.Reason,
            },
            MilestoneOverdueChanged e => new CustomerMilestoneOverdueChanged
            {
                EventId = eventId, CustomerId = customerId, Milestone = e.Milestone, DueOn = e.DueOn, Overdue = e.Overdue, ChangedAt = e.ChangedAt,
            },
            _ => null,
        };
    }
}
