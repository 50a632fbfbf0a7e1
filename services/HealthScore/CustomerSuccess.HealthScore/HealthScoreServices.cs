using CustomerSuccess.Contracts.Events;
using CustomerSuccess.CrmFeed;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Scheduling;
using CustomerSuccess.HealthScore.Publishing;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.ScoringModels;
using CustomerSuccess.HealthScore.TiersAndStages;
using JasperFx.Events.Projections;
using MassTransit;

namespace CustomerSuccess.HealthScore;

public static class HealthScoreServices
{
    public const string ServiceName = "healthscore";

    public static IHostApplicationBuilder AddHealthScore(this IHostApplicationBuilder builder)
    {
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<HealthFactsConsumer, HealthFactsConsumerDefinition>();
            bus.AddConsumer<CustomerTierChangedConsumer, CustomerTierChangedConsumerDefinition>();
            bus.AddConsumer<CustomerStageChangedConsumer, CustomerStageChangedConsumerDefinition>();
        });
        // The relay's CRM feed publisher (CloudEvents to the customersuccess.integration exchange).
        builder.AddCloudEventPublisher();
        builder.AddEventStore(ServiceName, options =>
            {
                // Known up front, so a restarted relay or a projection rebuild can read every event in the streams.
                options.Events.AddEventTypes(typeof(CustomerEvent).Assembly.GetTypes()
                    .Where(t => t.IsSubclassOf(typeof(CustomerEvent)) && !t.IsAbstract)
                    .Concat([typeof(TierRecorded), typeof(StageRecorded), typeof(FactsRetentionChanged), typeof(HealthEvaluated)]));
                options.Schema.For<StoredScoringModel>();
                options.Projections.Add(new CustomerFactsProjection(), ProjectionLifecycle.Inline);
                // The rollup FetchForWriting read is the one the inline projection evolves at commit, instead of being
                // loaded and deserialised a second time (the evaluator records into a copy, never into the fetched one).
                // Not for the projections rebuild command: Marten's daemon applies slices in parallel, and with this on
                // they share the session's identity map.
                options.Events.UseIdentityMapForAggregates = !ProjectionRebuild.IsRequested(Environment.GetCommandLineArgs()[1..]);
                options.Projections.Snapshot<CustomerHealth>(SnapshotLifecycle.Inline);

                // The relay is an outbox: an event it cannot read must stop it, never be skipped.
                options.Projections.Errors.SkipApplyErrors = false;
                options.Projections.Errors.SkipSerializationErrors = false;
                options.Projections.Errors.SkipUnknownEvents = false;
            })
            .AddSubscriptionWithServices<HealthChangeRelay>(ServiceLifetime.Singleton, subscription =>
            {
                subscription.Name = HealthChangeRelay.RelayName;
                subscription.IncludeType<HealthEvaluated>();
                subscription.Options.BatchSize = HealthChangeRelay.PageSize;
            });
        builder.Services.AddSingleton<CurrentScoringModel>();
        builder.Services.AddSingleton<CustomerStreamLocks>();
        builder.Services.AddSingleton<LifecycleSignals>();
        builder.Services.AddScheduledEvaluation<DailyHealthEvaluation>();
        return builder;
    }
}
