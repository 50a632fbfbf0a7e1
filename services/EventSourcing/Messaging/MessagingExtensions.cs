using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Observability;
using CustomerSuccess.ServiceDefaults;
using CustomerSuccess.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.EventSourcing.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit 8.5 on RabbitMQ: durable queues (each consumer's definition names its queue, from <c>QueueNames</c>;
    /// otherwise <c>{service}-{consumer}</c>), persistent messages,
    /// retries with exponential back-off, then the <c>_error</c> queue (never dropped).
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddHostedService<DeadLetterGauge>();
        builder.Services.AddReceiveObserver<ConsumerMetrics>();
        builder.Services.AddSingleton<SubscriberQueueDeclaration>();
        builder.Services.AddPublishObserver(provider => provider.GetRequiredService<SubscriberQueueDeclaration>());
        builder.Services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotations()
            // The bus stops last, after HTTP and the async daemon: its drain must end inside the host's shutdown timeout.
            .Validate<IOptions<HostOptions>>((rabbit, host) => rabbit.StopTimeout < host.Value.ShutdownTimeout,
                "RabbitMq:StopTimeout must be shorter than Hosting:ShutdownTimeout.")
            .Validate(rabbit => rabbit.MessagesPerCommit <= rabbit.PrefetchCount, "RabbitMq:MessagesPerCommit must not exceed RabbitMq:PrefetchCount.")
            .ValidateOnStart();
        builder.Services.AddSingleton<GroupCommits>();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<RabbitMqOptions>>((o, rabbit) =>
        {
            // Never block start-up on the broker: during an outage a restarted Ingestion must still accept events
            // (its log is the outbox) and the query APIs must still answer; the bus connects when the broker is back.
            o.WaitUntilStarted = false;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            // On SIGTERM: stop taking messages, let the in-flight ones finish this long, then cancel them (unacknowledged,
            // so the broker redelivers them to another instance or after the restart).
            o.StopTimeout = rabbit.Value.StopTimeout;
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            // A broker outage degrades a service but does not make it unready: Ingestion keeps accepting (its log
            // is the outbox) and the query APIs keep answering; /health/ready names the broker as degraded.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "rabbitmq";
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Clear();
                health.Tags.Add(HealthTags.Ready);
            });
            consumers?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint
                    && context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QuorumQueues)
                {
                    rabbitEndpoint.SetQuorumQueue();
                }
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(new Uri(options.Uri));
                rabbit.PrefetchCount = options.PrefetchCount;
                rabbit.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                // Outer: the database is down (restart, fail-over) — wait it out instead of dead-lettering good messages.
                var outageInterval = options.StoreOutageRetryInterval > TimeSpan.Zero ? options.StoreOutageRetryInterval : TimeSpan.FromSeconds(5);
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Interval((int)Math.Max(0, options.StoreOutageRetryFor / outageInterval), outageInterval);
                    retry.Handle<Exception>(KnownExceptionHandler.IsStoreUnavailable);
                });
                // Inner: anything else gets a few quick retries (concurrent writes), then the error queue.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));
                    retry.Ignore<ArgumentException>();
                    retry.Ignore<FormatException>();
                    retry.Ignore<Exception>(KnownExceptionHandler.IsStoreUnavailable);
                });
                // Inside the retries: one span per attempt, linked to the traces of the events the message carries.
                rabbit.UseFilter(new EventTracing.ConsumeFilter());
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
