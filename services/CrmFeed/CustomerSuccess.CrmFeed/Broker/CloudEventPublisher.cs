using CustomerSuccess.CrmFeed.Envelopes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace CustomerSuccess.CrmFeed.Broker;

/// <summary>
/// Publishes CRM feed events to the <c>customersuccess.integration</c> exchange: the envelope's bytes as the body,
/// routing key and AMQP <c>type</c> = event type, <c>message_id</c> = event id, persistent, under publisher confirms.
/// For outbox relays: a publish either is confirmed by the broker within the timeout or throws
/// <see cref="CloudEventPublishException"/>: never a bare cancellation, which Marten's daemon would take for a
/// shutdown and skip the page, whereas an ordinary exception makes it pause and replay from its saved position, so the relay retries the page.
/// </summary>
public sealed class CloudEventPublisher(IOptions<CrmFeedBrokerOptions> options, ILogger<CloudEventPublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public Task PublishAsync(CloudEventEnvelope envelope, CancellationToken cancellationToken) =>
        PublishAsync([envelope], cancellationToken);

    /// <summary>Publishes a page; returns when the broker has confirmed every message of it.</summary>
    public async Task PublishAsync(IReadOnlyList<CloudEventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        if (envelopes.Count == 0)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        try
        {
            var channel = await ChannelAsync(timeout.Token);
            await Task.WhenAll(envelopes.Select(envelope => channel.BasicPublishAsync(
                CrmFeedBrokerOptions.Exchange, envelope.Type, mandatory: false, Properties(envelope), envelope.Body, timeout.Token).AsTask()));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await ResetAsync();
            throw new CloudEventPublishException(
                $"Publishing {envelopes.Count} CRM feed events was not confirmed within {options.Value.PublishTimeout}: {exception.Message}", exception);
        }
    }

    internal static BasicProperties Properties(CloudEventEnvelope envelope) => new()
    {
        MessageId = envelope.Id,
        Type = envelope.Type,
        ContentType = CloudEventEnvelope.ContentType,
        Timestamp = new AmqpTimestamp(envelope.Time.ToUnixTimeSeconds()),
        DeliveryMode = DeliveryModes.Persistent,
        AppId = envelope.Source,
    };

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true } reopened)
            {
                return reopened;
            }

            await ResetCoreAsync();
            _connection = await CrmFeedTopology.ConnectionFactory(options.Value.Uri!, "crm-feed-publisher").CreateConnectionAsync(cancellationToken);
            var channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            await CrmFeedTopology.DeclareAsync(channel, options.Value, cancellationToken);
            _channel = channel;
            return channel;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task ResetAsync()
    {
        await _connecting.WaitAsync();
        try
        {
            await ResetCoreAsync();
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task ResetCoreAsync()
    {
        var (channel, connection) = (_channel, _connection);
        (_channel, _connection) = (null, null);
        try
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "Closing a broken CRM feed publisher connection failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetCoreAsync();
        _connecting.Dispose();
    }
}

/// <summary>The broker did not confirm a CRM feed publish in time; the caller (an outbox relay) retries.</summary>
public sealed class CloudEventPublishException(string message, Exception inner) : Exception(message, inner);
