using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Lifecycle.Stages;
using JasperFx.Events.Projections;

namespace CustomerSuccess.Lifecycle;

public static class LifecycleServices
{
    public const string ServiceName = "lifecycle";

    public static IHostApplicationBuilder AddLifecycle(this IHostApplicationBuilder builder)
    {
        builder.AddMessaging(ServiceName, bus => bus.AddConsumer<LifecycleEventsConsumer>());
        builder.AddEventStore(ServiceName, options => options.Projections.Snapshot<CustomerLifecycle>(SnapshotLifecycle.Inline));
        return builder;
    }
}
