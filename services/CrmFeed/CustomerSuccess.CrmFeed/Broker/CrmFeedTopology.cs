using RabbitMQ.Client;

namespace CustomerSuccess.CrmFeed.Broker;

/// <summary>Declares the exchange and the feed store's queue (idempotent; publishers and the store both call it).</summary>
internal static class CrmFeedTopology
{
    public static async Task DeclareAsync(IChannel channel, CrmFeedBrokerOptions options, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(CrmFeedBrokerOptions.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        var arguments = options.QuorumQueue ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
        await channel.QueueDeclareAsync(options.FeedQueue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(options.FeedQueue, CrmFeedBrokerOptions.Exchange, "#", cancellationToken: cancellationToken);
    }

    public static ConnectionFactory ConnectionFactory(string uri, string clientName) => new()
    {
        Uri = new Uri(uri),
        ClientProvidedName = clientName,
        // Reconnection is explicit (a new connection on the next publish, a reconnect loop in the store), so a broker
        // restart surfaces as an exception the caller handles rather than as a publish that waits silently.
        AutomaticRecoveryEnabled = false,
        RequestedHeartbeat = TimeSpan.FromSeconds(15),
    };
}
