using System.Collections.Concurrent;
using CustomerSuccess.Contracts.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace CustomerSuccess.EventSourcing.Messaging;

/// <summary>
/// Before a service first publishes a service-to-service message (<see cref="QueueNames.SubscribersByMessage"/>),
/// declares the queues that receive it, in the shape their consumers' endpoints have, so a change published before its
/// consumer ever started (a first deploy, a service added later) waits in its queue instead of being dropped. Once per
/// message type and process; if the broker cannot be reached the publish fails and the relay retries its page.
/// </summary>
public sealed class SubscriberQueueDeclaration(IOptions<RabbitMqOptions> options) : IPublishObserver, IDisposable
{
    private readonly ConcurrentDictionary<Type, bool> _declared = new();
    private readonly SemaphoreSlim _once = new(1, 1);

    public async Task PrePublish<T>(PublishContext<T> context)
        where T : class
    {
        if (_declared.ContainsKey(typeof(T)) || !QueueNames.SubscribersByMessage.TryGetValue(typeof(T), out var queues))
        {
            return;
        }

        await _once.WaitAsync(context.CancellationToken);
        try
        {
            if (!_declared.ContainsKey(typeof(T)))
            {
                var exchange = $"{typeof(T).Namespace}:{typeof(T).Name}";
                await DeclareAsync(options.Value, exchange, queues, context.CancellationToken);
                _declared[typeof(T)] = true;
            }
        }
        finally
        {
            _once.Release();
        }
    }

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public void Dispose() => _once.Dispose();

    /// <summary>
    /// Declares each queue as MassTransit declares a consumer endpoint (an exchange named like the queue, bound to the
    /// message's fanout exchange; the queue bound to it) with the arguments the consumer uses (<c>RabbitMq:QuorumQueues</c>
    /// must match, or one of the two declarations fails). Declaring what exists already changes nothing.
    /// </summary>
    public static async Task DeclareAsync(RabbitMqOptions rabbit, string messageExchange, IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var factory = new ConnectionFactory { Uri = new Uri(rabbit.Uri), ClientProvidedName = "subscriber-topology" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var arguments = rabbit.QuorumQueues ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
        await channel.ExchangeDeclareAsync(messageExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var queue in queues.Distinct(StringComparer.Ordinal))
        {
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue, queue, routingKey: "", cancellationToken: cancellationToken);
            await channel.ExchangeBindAsync(queue, messageExchange, routingKey: "", cancellationToken: cancellationToken);
        }
    }
}
