using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Lifecycle.Stages;
using JasperFx.Events.Projections;
using MassTransit;

namespace CustomerSuccess.Lifecycle;

public static class LifecycleServices
{
    public const string ServiceName = "lifecycle";

    public static IHostApplicationBuilder AddLifecycle(this IHostApplicationBuilder builder)
    {
        builder.AddMessaging(ServiceName, bus => bus.AddConsumer<LifecycleEventsConsumer, LifecycleEventsConsumerDefinition>());
        builder.AddEventStore(ServiceName, options => options.Projections.Snapshot<CustomerLifecycle>(SnapshotLifecycle.Inline));
        return builder;
    }
}
