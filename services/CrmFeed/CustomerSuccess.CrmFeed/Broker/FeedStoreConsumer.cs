using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.CrmFeed.Store;
using CustomerSuccess.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CustomerSuccess.CrmFeed.Broker;

/// <summary>
/// Reads the feed queue (bound to every routing key of the exchange) and stores each CloudEvent once, with its
/// deliveries, acknowledging only after the commit: a crash before it redelivers the message, which then finds the id
/// stored and changes nothing. Reconnects on its own when the broker goes away.
/// </summary>
public sealed class FeedStoreConsumer(
    FeedStore feed,
    TimeProvider clock,
    IOptions<CrmFeedBrokerOptions> options,
    ILogger<FeedStoreConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeUntilDisconnectedAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "CRM feed store lost the broker; reconnecting");
            }

            try
            {
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConsumeUntilDisconnectedAsync(CancellationToken stoppingToken)
    {
        await using var connection = await CrmFeedTopology.ConnectionFactory(options.Value.Uri!, "crm-feed-store").CreateConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await CrmFeedTopology.DeclareAsync(channel, options.Value, stoppingToken);
        await channel.BasicQosAsync(0, options.Value.Prefetch, global: false, stoppingToken);

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, _) =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        channel.ChannelShutdownAsync += (_, _) =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, delivery, stoppingToken);
        await channel.BasicConsumeAsync(options.Value.FeedQueue, autoAck: false, consumer, stoppingToken);
        await closed.Task.WaitAsync(stoppingToken);
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        // The body is only valid during the handler: copy it before anything awaits.
        var body = delivery.Body.ToArray();
        var attributes = CloudEventAttributes.Read(body, out var problem);
        if (attributes is null)
        {
            logger.LogError("Dropped a message on {Exchange} that is not a CRM feed CloudEvent ({Problem}); message id {MessageId}",
                CrmFeedBrokerOptions.Exchange, problem, delivery.BasicProperties.MessageId);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, stoppingToken);
            return;
        }

        using var span = LinkedSpans.Start("crm-feed store", attributes.TraceParent);
        try
        {
            await feed.StoreAsync(attributes, body, clock.GetUtcNow(), stoppingToken);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not store CRM feed event {EventId}; it is redelivered", attributes.Id);
            // A pause before the requeue, so a database outage is not a hot loop.
            await Task.Delay(ReconnectDelay, stoppingToken);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, stoppingToken);
        }
    }
}
