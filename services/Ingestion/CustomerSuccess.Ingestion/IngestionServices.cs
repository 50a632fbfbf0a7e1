using CustomerSuccess.Ingestion.Envelopes;
using CustomerSuccess.Ingestion.EventLog;
using CustomerSuccess.Ingestion.Relay;
using CustomerSuccess.ServiceDefaults.EventStore;

namespace CustomerSuccess.Ingestion;

public static class IngestionServices
{
    public const string ServiceName = "ingestion";

    /// <summary>The event log (Marten), its relay to the broker, and the API's limits.</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CustomerEventLog>();
        builder.AddEventStore(ServiceName, options =>
            {
                options.Projections.Errors.SkipApplyErrors = false;
                options.Projections.Errors.SkipSerializationErrors = false;
                options.Projections.Errors.SkipUnknownEvents = false;
            })
            .AddSubscriptionWithServices<EventLogRelay>(ServiceLifetime.Singleton, subscription =>
            {
                subscription.Name = EventLogRelay.RelayName;
                subscription.Options.BatchSize = EventLogRelay.EventsPerMessage;
            });
        return builder;
    }
}
