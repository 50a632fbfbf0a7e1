using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.Ingestion.Envelopes;
using CustomerSuccess.Ingestion.EventLog;
using CustomerSuccess.Ingestion.Relay;
using CustomerSuccess.Ingestion.Replay;

namespace CustomerSuccess.Ingestion;

public static class IngestionServices
{
    public const string ServiceName = "ingestion";

    /// <summary>The event log (Marten), its relay to the broker, and the API's limits.</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IngestionMetrics>();
        builder.Services.AddSingleton<CustomerEventLog>();
        builder.Services.AddOptions<ReplayOptions>().BindConfiguration(ReplayOptions.Section)
            .Validate(o => o.Targets.Count > 0 && o.Targets.Values.All(q => !string.IsNullOrWhiteSpace(q)), "Replay:Targets must name a queue per service.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LogReplay>();
        builder.Services.AddSingleton<SubscriberQueues>();
        builder.AddEventStore(ServiceName, options =>
            {
                options.Projections.Errors.SkipApplyErrors = false;
                options.Projections.Errors.SkipSerializationErrors = false;
                options.Projections.Errors.SkipUnknownEvents = false;
            }, IngestionOptions.DefaultDeduplicationWindow)
            .AddSubscriptionWithServices<EventLogRelay>(ServiceLifetime.Singleton, subscription =>
            {
                subscription.Name = EventLogRelay.RelayName;
                subscription.Options.BatchSize = EventLogRelay.PageSize;
            });
        return builder;
    }
}
