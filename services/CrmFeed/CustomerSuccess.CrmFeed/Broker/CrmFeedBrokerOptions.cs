using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.CrmFeed.Broker;

/// <summary>
/// The CRM feed on RabbitMQ (<c>CrmFeed:Broker:*</c>); the connection defaults to <c>RabbitMq:Uri</c>, the services' broker.
/// Publishers and the feed store use the same values, because both declare the topology.
/// </summary>
public sealed class CrmFeedBrokerOptions
{
    public const string Section = "CrmFeed:Broker";

    /// <summary>The durable topic exchange CRMs bind their queues to; routing key = event type.</summary>
    public const string Exchange = "customersuccess.integration";

    /// <summary>The feed store's queue, bound to every routing key. Declared by publishers too, so nothing published before the store first starts is lost.</summary>
    /// <summary>AMQP URI with credentials and virtual host; when unset, <c>RabbitMq:Uri</c>, else <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    [Required]
    public string? Uri { get; set; }

    [Required]
    public string FeedQueue { get; set; } = "customersuccess.crm-feed";

    /// <summary>Declare the feed queue as a quorum queue (replicated in a cluster).</summary>
    public bool QuorumQueue { get; set; } = true;

    /// <summary>Bound on one publish including the broker's confirm; beyond it the publish fails with an ordinary exception.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages the feed store fetches ahead.</summary>
    [Range(1, 10_000)]
    public ushort Prefetch { get; set; } = 64;
}
