using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Renewal.Renewals;
using JasperFx.Events.Projections;
using MassTransit;

namespace CustomerSuccess.Renewal;

public static class RenewalServices
{
    public const string ServiceName = "renewal";

    public static IHostApplicationBuilder AddRenewal(this IHostApplicationBuilder builder)
    {
        builder.AddMessaging(ServiceName, bus => bus.AddConsumer<RenewalEventsConsumer, RenewalEventsConsumerDefinition>());
        builder.AddEventStore(ServiceName, options => options.Projections.Snapshot<CustomerRenewal>(SnapshotLifecycle.Inline));
        return builder;
    }
}
