using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Ingestion.Replay;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace CustomerSuccess.Ingestion.Relay;

/// <summary>
/// Declares the queue of every known subscriber (<c>Replay:Targets</c>) and binds it to the ingested-events exchange,
/// the way MassTransit declares a consumer endpoint, before the relay publishes anything. RabbitMQ drops a message
/// that no queue is bound for: without this, events accepted while a consuming service has never started yet (a first
/// deploy, a new service) would be relayed into nothing.
/// </summary>
public sealed class SubscriberQueues(IOptions<RabbitMqOptions> rabbit, IOptions<ReplayOptions> targets) : IDisposable
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private volatile bool _declared;

    public async Task EnsureDeclaredAsync(CancellationToken cancellationToken)
    {
        if (_declared)
        {
            return;
        }

        await _once.WaitAsync(cancellationToken);
        try
        {
            if (_declared)
            {
                return;
            }

            var factory = new ConnectionFactory { Uri = new Uri(rabbit.Value.Uri), ClientProvidedName = "ingestion-topology" };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.ExchangeDeclareAsync(MessageNames.CustomerEventsIngestedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            foreach (var queue in targets.Value.Targets.Values.Distinct(StringComparer.Ordinal))
            {
                // Same shape as MassTransit's receive endpoint: an exchange named like the queue, bound to the message exchange.
                await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QueueArguments(), cancellationToken: cancellationToken);
                await channel.QueueBindAsync(queue, queue, routingKey: "", cancellationToken: cancellationToken);
                await channel.ExchangeBindAsync(queue, MessageNames.CustomerEventsIngestedExchange, routingKey: "", cancellationToken: cancellationToken);
            }

            _declared = true;
        }
        finally
        {
            _once.Release();
        }
    }

    public void Dispose() => _once.Dispose();

    // Must match what the consuming service declares (MassTransit with RabbitMq:QuorumQueues), or one of the two fails.
    private Dictionary<string, object?>? QueueArguments() =>
        rabbit.Value.QuorumQueues ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
}
