using CustomerSuccess.EventSourcing.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// Receives a consumer's messages on its queue (one of <c>QueueNames</c>) and lets the broker deliver up to
/// <see cref="RabbitMqOptions.MessagesPerCommit"/> of them at once, so that <see cref="GroupCommits"/> can apply the ones
/// waiting in one commit. Only for consumers that go through <see cref="GroupCommits"/>: it serialises their commits.
/// </summary>
public abstract class GroupCommitDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected GroupCommitDefinition(string queue) => EndpointName = queue;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        endpointConfigurator.PrefetchCount = Math.Max(endpointConfigurator.PrefetchCount, options.MessagesPerCommit);
        endpointConfigurator.ConcurrentMessageLimit = Math.Max(endpointConfigurator.ConcurrentMessageLimit ?? 1, options.MessagesPerCommit);
    }
}
