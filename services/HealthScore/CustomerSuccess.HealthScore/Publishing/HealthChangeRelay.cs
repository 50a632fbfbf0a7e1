using CustomerSuccess.Contracts.Events;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Observability;
using CustomerSuccess.HealthScore.Scoring;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.HealthScore.Publishing;

/// <summary>
/// Publishes <see cref="CustomerHealthChanged"/> for every committed <see cref="HealthEvaluated"/> that is significant
/// (band, quadrant or score by the model's margin changed), never by hand after an append: the event store is the outbox.
/// The daemon saves its position only after a page is published, so a crash or broker outage replays from the last
/// published page: at-least-once on the wire, with the evaluation's own event id as the message's <c>EventId</c> so
/// consumers de-duplicate. Each change also goes to the CRM feed as a <c>health.changed</c> CloudEvent with that id and
/// the stream version as its sequence, in the same page.
/// </summary>
public sealed class HealthChangeRelay(IBus bus, IOptions<RabbitMqOptions> options, CloudEventPublisher crm) : BrokerRelay(bus, options)
{
    public const string RelayName = "health-change-relay";

    public const int PageSize = 500;

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var significant = Significant(page.Events).ToList();
        if (significant.Count == 0)
        {
            return NullChangeListener.Instance;
        }

        using var span = EventTracing.StartPage(RelayName, significant.Select(e => e.Event));
        await PublishPerCustomerAsync(significant, e => e.Change.CustomerId, (e, token) => PublishAsync(e.Change, 1, e.Event.CausationId, token), cancellationToken);
        await crm.PublishAsync(significant.Select(e => CrmEvents.HealthChanged(e.Change, e.Version, e.Event.CausationId)).ToList(), cancellationToken);
        return NullChangeListener.Instance;
    }

    /// <summary>The integration events a page of stream events calls for: one per significant evaluation, in order.</summary>
    public static IEnumerable<CustomerHealthChanged> HealthChanges(IEnumerable<IEvent> events) => Significant(events).Select(e => e.Change);

    private static IEnumerable<(CustomerHealthChanged Change, long Version, IEvent Event)> Significant(IEnumerable<IEvent> events) =>
        events.Where(e => e.Data is HealthEvaluated { Significant: true })
            .Select(e => (((HealthEvaluated)e.Data).ToHealthChanged(e.Id.ToString()), e.Version, e));
}
