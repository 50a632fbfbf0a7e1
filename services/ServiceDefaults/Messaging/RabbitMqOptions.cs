using System.ComponentModel.DataAnnotations;

namespace CustomerSuccess.ServiceDefaults.Messaging;

/// <summary>Broker connection and consumer tuning (<c>RabbitMq:*</c>).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>AMQP URI with credentials and virtual host, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    [Required]
    public string Uri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Messages fetched ahead per consumer queue.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 32;

    /// <summary>In-process retries of a failing message (exponential back-off) before it moves to the error queue.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;

    /// <summary>Bound on one publish: MassTransit's publish blocks while the broker is down.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
