using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.ServiceDefaults.EventStore;
using CustomerSuccess.ServiceDefaults.Messaging;
using CustomerSuccess.ServiceDefaults.Scheduling;
using JasperFx.Events.Projections;

namespace CustomerSuccess.HealthScore;

public static class HealthScoreServices
{
    public const string ServiceName = "healthscore";

    public static IHostApplicationBuilder AddHealthScore(this IHostApplicationBuilder builder)
    {
        builder.AddMessaging(ServiceName, bus => bus.AddConsumer<HealthFactsConsumer>());
        builder.AddEventStore(ServiceName, options =>
        {
            options.Projections.Add(new CustomerFactsProjection(), ProjectionLifecycle.Inline);
            options.Projections.Snapshot<CustomerHealth>(SnapshotLifecycle.Inline);
        });
        builder.Services.AddScheduledEvaluation<DailyHealthEvaluation>();
        return builder;
    }
}
