using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Observability;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Ingestion.Relay;

/// <summary>Relays committed events from the event log to RabbitMQ, a page at a time, in log order.</summary>
public sealed class EventLogRelay(IBus bus, IOptions<RabbitMqOptions> options, SubscriberQueues subscribers) : BrokerRelay(bus, options)
{
    public const string RelayName = "broker-relay";

    /// <summary>
    /// Most events per broker message, and so per consumer transaction: batching is where the throughput headroom is.
    /// </summary>
    public const int EventsPerMessage = 1000;

    /// <summary>
    /// Most events the daemon hands the relay per page. A page holds only what was committed since the last one, so it
    /// stays small at low load (freshness) and grows to this at saturation (fewer, larger messages and commits).
    /// </summary>
    public const int PageSize = 4000;

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        using var span = EventTracing.StartPage(RelayName, page.Events);
        await subscribers.EnsureDeclaredAsync(cancellationToken);
        var events = page.Events.Where(e => e.Data is CustomerEvent).ToList();
        foreach (var chunk in CustomerPages.Pack(events, e => ((CustomerEvent)e.Data).CustomerId, EventsPerMessage))
        {
            var message = new CustomerEventsIngested { Events = chunk.Select(e => (CustomerEvent)e.Data).ToArray() };
            await PublishAsync(message, chunk.Count, EventTracing.Origins(chunk), cancellationToken);
        }

        return NullChangeListener.Instance;
    }
}
