using CustomerSuccess.Contracts.Events;
using CustomerSuccess.ServiceDefaults.Messaging;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Ingestion.Relay;

/// <summary>
/// Relays committed events from the event log to RabbitMQ, a page at a time, in log order. The daemon
/// saves its position only after a page is published, so a crash or broker outage replays from the
/// last published page: at-least-once on the wire, de-duplicated by event id downstream.
/// </summary>
public sealed class EventLogRelay(IBus bus, IOptions<RabbitMqOptions> options) : SubscriptionBase
{
    public const string RelayName = "broker-relay";

    /// <summary>Events per broker message: batching is where the throughput headroom is.</summary>
    public const int EventsPerMessage = 500;

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var events = page.Events.Select(e => e.Data).OfType<CustomerEvent>().ToList();
        foreach (var chunk in events.Chunk(EventsPerMessage))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.PublishTimeout);
            try
            {
                await bus.Publish(new CustomerEventsIngested { Events = chunk }, timeout.Token);
            }
            catch (OperationCanceledException exception)
            {
                // Publish blocks while the broker is down. A cancellation escaping here would make the daemon skip
                // the page without saving progress and then stop the shard; an ordinary exception makes it pause
                // and replay from the saved position.
                throw new BrokerUnavailableException($"Publishing {chunk.Length} events did not complete within {options.Value.PublishTimeout}.", exception);
            }
        }

        return NullChangeListener.Instance;
    }
}

/// <summary>The broker did not confirm a publish in time; the relay pauses and retries the page.</summary>
public sealed class BrokerUnavailableException(string message, Exception inner) : Exception(message, inner);
