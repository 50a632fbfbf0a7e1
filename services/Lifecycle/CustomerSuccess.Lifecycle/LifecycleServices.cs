using CustomerSuccess.CrmFeed;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Scheduling;
using CustomerSuccess.Lifecycle.Domain;
using CustomerSuccess.Lifecycle.Publishing;
using CustomerSuccess.Lifecycle.Stages;
using JasperFx.Events.Projections;
using MassTransit;

namespace CustomerSuccess.Lifecycle;

public static class LifecycleServices
{
    public const string ServiceName = "lifecycle";

    public static IHostApplicationBuilder AddLifecycle(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LifecycleSettings>().BindConfiguration(LifecycleSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<LifecycleEventsConsumer, LifecycleEventsConsumerDefinition>();
            bus.AddConsumer<CustomerHealthChangedConsumer, CustomerHealthChangedConsumerDefinition>();
            bus.AddConsumer<RenewalWindowOpenedConsumer, RenewalWindowOpenedConsumerDefinition>();
        });
        // The relay's CRM feed publisher (CloudEvents to the customersuccess.integration exchange).
        builder.AddCloudEventPublisher();
        builder.AddEventStore(ServiceName, options =>
            {
                // Known up front, so a restarted relay or a projection rebuild can read every event in the streams.
                options.Events.AddEventTypes(LifecycleHistory.EventTypes);
                options.Projections.Add(new LifecycleHistoryProjection(), ProjectionLifecycle.Inline);
                options.Schema.For<LifecycleSummary>()
                    .Index(s => s.Stage)
                    .Index(s => s.Tier)
                    .Index(s => s.Overdue);

                // The relay is an outbox: an event it cannot read must stop it, never be skipped.
                options.Projections.Errors.SkipApplyErrors = false;
                options.Projections.Errors.SkipSerializationErrors = false;
                options.Projections.Errors.SkipUnknownEvents = false;
            })
            .AddSubscriptionWithServices<LifecycleChangeRelay>(ServiceLifetime.Singleton, subscription =>
            {
                subscription.Name = LifecycleChangeRelay.RelayName;
                foreach (var type in LifecycleChangeRelay.PublishedTypes)
                {
                    subscription.IncludeType(type);
                }

                subscription.Options.BatchSize = LifecycleChangeRelay.PageSize;
            });
        builder.Services.AddSingleton<CustomerStreamLocks>();
        builder.Services.AddSingleton<LifecycleSignals>();
        builder.Services.AddScheduledEvaluation<DailyLifecycleEvaluation>();
        return builder;
    }
}
