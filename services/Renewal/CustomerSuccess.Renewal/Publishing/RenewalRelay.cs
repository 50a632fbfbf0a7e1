using CustomerSuccess.Contracts.Events;
using CustomerSuccess.CrmFeed.Broker;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.Renewal.Domain;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Observability;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Renewal.Publishing;

/// <summary>
/// Publishes <see cref="RenewalWindowOpened"/> and <see cref="CustomerRiskChanged"/> for
/// every committed window-opened and risk event, never by hand after an append: the event store is the outbox. Each
/// message's <c>EventId</c> is the Marten event's id, stable across redelivery and replay, so consumers de-duplicate.
/// The same events go to the CRM feed as CloudEvents (<c>risk.changed</c>, <c>renewal.window_opened</c>) with that id and
/// the stream version as their sequence, confirmed before the page returns, so a replay publishes them again unchanged.
/// </summary>
public sealed class RenewalRelay(IBus bus, IOptions<RabbitMqOptions> options, CloudEventPublisher crm) : BrokerRelay(bus, options)
{
    public const string RelayName = "renewal-relay";

    public const int PageSize = 500;

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var relayed = page.Events.Where(e => e.Data is RenewalWindowOpenedRecorded or RiskAssessed).ToList();
        using var span = relayed.Count == 0 ? null : EventTracing.StartPage(RelayName, relayed);
        // Published by their own types: MassTransit routes by the message type.
        await PublishPerCustomerAsync(relayed, e => e.StreamKey!, (e, token) => e.Data switch
        {
            RiskAssessed risk => PublishAsync(risk.ToRiskChanged(e.Id.ToString()), 1, e.CausationId, token),
            RenewalWindowOpenedRecorded opened => PublishAsync(WindowOpened(e, opened), 1, e.CausationId, token),
            _ => Task.CompletedTask,
        }, cancellationToken);
        await crm.PublishAsync(relayed.Select(CrmEvent).ToList(), cancellationToken);
        return NullChangeListener.Instance;
    }

    /// <summary>The CRM feed event for a relayed stream event, from what the event itself recorded (so a replay gives the same bytes).</summary>
    public static CloudEventEnvelope CrmEvent(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Data switch
        {
            RiskAssessed risk => CrmEvents.RiskChanged(
                risk.ToRiskChanged(e.Id.ToString()), e.Version, risk.Owner, risk.Tier,
                risk.Health is { } health ? new CrmHealth(health.Score, health.Band, health.Quadrant) : null, e.CausationId),
            RenewalWindowOpenedRecorded opened => CrmEvents.RenewalWindowOpened(WindowOpened(e, opened), e.Version, opened.RecordedAt, e.CausationId),
            _ => throw new ArgumentException($"Event {e.Id} ({e.EventTypeName}) is not relayed to the CRM feed.", nameof(e)),
        };
    }

    public static RenewalWindowOpened WindowOpened(IEvent e, RenewalWindowOpenedRecorded opened)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(opened);
        return new RenewalWindowOpened
        {
            EventId = e.Id.ToString(),
            CustomerId = e.StreamKey!,
            ContractId = opened.ContractId,
            EndsOn = opened.EndsOn,
            OpenedOn = opened.OpenedOn,
        };
    }
}
