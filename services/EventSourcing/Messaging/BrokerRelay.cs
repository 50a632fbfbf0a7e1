using CustomerSuccess.EventSourcing.Observability;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.EventSourcing.Messaging;

/// <summary>
/// Base of the Marten subscriptions that relay committed events to RabbitMQ (the event store is the outbox).
/// The daemon saves a relay's position only after its page was handled, so a crash or an outage replays
/// from the last published page: at-least-once on the wire, de-duplicated by event id downstream.
/// </summary>
public abstract class BrokerRelay(IBus bus, IOptions<RabbitMqOptions> options) : SubscriptionBase
{
    /// <summary>Customers published in parallel by <see cref="PublishPerCustomerAsync{T}"/>.</summary>
    public const int CustomerParallelism = 32;

    /// <summary>
    /// Publishes a page's messages customers in parallel, each customer's one after another in page (stream) order, so a
    /// receiver never sees one customer's changes overtake each other within a page.
    /// </summary>
    protected Task PublishPerCustomerAsync<T>(
        IEnumerable<T> items, Func<T, string> customerOf, Func<T, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(customerOf);
        ArgumentNullException.ThrowIfNull(publish);
        var customers = items.GroupBy(customerOf, StringComparer.Ordinal).ToList();
        return customers.Count == 0
            ? Task.CompletedTask
            : Parallel.ForEachAsync(
                customers,
                new ParallelOptions { MaxDegreeOfParallelism = CustomerParallelism, CancellationToken = cancellationToken },
                async (customer, token) =>
                {
                    foreach (var item in customer)
                    {
                        await publish(item, token);
                    }
                });
    }

    /// <summary>
    /// Publishes within <see cref="RabbitMqOptions.PublishTimeout"/>. MassTransit's publish blocks while the broker is
    /// down; a cancellation escaping to the daemon would make it skip the page without saving progress and then stop
    /// the shard, whereas an ordinary exception makes it pause and replay from the saved position.
    /// </summary>
    protected Task PublishAsync<T>(T message, int events, CancellationToken cancellationToken)
        where T : class => PublishAsync(message, events, origins: null, cancellationToken);

    /// <summary>
    /// Publishes as <see cref="PublishAsync{T}(T, int, CancellationToken)"/>, with the traceparents of the events the message
    /// carries (<see cref="EventTracing.Origins"/>), so its consumers link to their traces.
    /// </summary>
    protected async Task PublishAsync<T>(T message, int events, string? origins, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        try
        {
            await EventTracing.Publish(bus, message, origins, timeout.Token);
        }
        catch (OperationCanceledException exception)
        {
            throw new BrokerUnavailableException($"Publishing {events} events did not complete within {options.Value.PublishTimeout}.", exception);
        }
    }
}

/// <summary>The broker did not confirm a publish in time; the relay pauses and retries the page.</summary>
public sealed class BrokerUnavailableException(string message, Exception inner) : Exception(message, inner);
