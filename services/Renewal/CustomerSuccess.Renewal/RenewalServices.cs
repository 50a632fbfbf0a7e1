using CustomerSuccess.Client;
using CustomerSuccess.CrmFeed;
using CustomerSuccess.Renewal.Domain;
using CustomerSuccess.Renewal.Health;
using CustomerSuccess.Renewal.Publishing;
using CustomerSuccess.Renewal.Renewals;
using CustomerSuccess.Renewal.Signals;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Scheduling;
using CustomerSuccess.ServiceDefaults.Security;
using JasperFx.Events.Projections;
using MassTransit;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace CustomerSuccess.Renewal;

public static class RenewalServices
{
    public const string ServiceName = "renewal";

    public static IHostApplicationBuilder AddRenewal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RenewalSettings>().BindConfiguration(RenewalSettings.Section).ValidateDataAnnotations()
            .Validate(s => s.WindowDaysByTag.Values.All(d => d is >= 1 and <= 730) && s.ExtraWindowDaysByTag.Values.All(d => d is >= 0 and <= 365),
                "Renewal:WindowDaysByTag values must be 1–730 days and Renewal:ExtraWindowDaysByTag values 0–365.")
            .Validate(s => s.UsageDropSevereShare >= s.UsageDropShare, "Renewal:UsageDropSevereShare must not be below Renewal:UsageDropShare.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CustomerStreamLocks>();
        builder.Services.AddSingleton<RenewalSignals>();
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<RenewalEventsConsumer, RenewalEventsConsumerDefinition>();
            bus.AddConsumer<CustomerHealthChangedConsumer, CustomerHealthChangedConsumerDefinition>();
            bus.AddConsumer<CustomerTierChangedConsumer, CustomerTierChangedConsumerDefinition>();
            bus.AddConsumer<CustomerMilestoneOverdueChangedConsumer, CustomerMilestoneOverdueChangedConsumerDefinition>();
        });
        // The relay's CRM feed publisher (CloudEvents to the customersuccess.integration exchange).
        builder.AddCloudEventPublisher();
        builder.AddEventStore(ServiceName, options =>
            {
                // Known up front, so a restarted relay or a projection rebuild can read every event in the streams.
                options.Events.AddEventTypes(RenewalEvolution.EventTypes);
                options.Projections.Add(new CustomerRenewalProjection(), ProjectionLifecycle.Inline);
                options.Schema.For<CustomerRenewal>().Index(f => f.WorklistKey);

                // The relay is an outbox: an event it cannot read must stop it, never be skipped.
                options.Projections.Errors.SkipApplyErrors = false;
                options.Projections.Errors.SkipSerializationErrors = false;
                options.Projections.Errors.SkipUnknownEvents = false;
            })
            .AddSubscriptionWithServices<RenewalRelay>(ServiceLifetime.Singleton, subscription =>
            {
                subscription.Name = RenewalRelay.RelayName;
                subscription.IncludeType<RenewalWindowOpenedRecorded>();
                subscription.IncludeType<RiskAssessed>();
                subscription.Options.BatchSize = RenewalRelay.PageSize;
            });
        // After the event store: the feed's tables join its Marten schema. Renewal hosts the feed store, webhooks and pull feed.
        builder.AddCrmFeed();
        builder.Services.AddScheduledEvaluation<DailyRenewalEvaluation>();
        builder.AddHealthScoreClient();
        return builder;
    }

    /// <summary>
    /// The Refit client for HealthScore's health detail with Polly only (MassTransit is not on this path): a total
    /// timeout over retries with a per-attempt timeout and a circuit breaker.
    /// </summary>
    private static void AddHealthScoreClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthScoreClientOptions>().BindConfiguration(HealthScoreClientOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Transient like the typed client it holds, so the client factory can rotate its handlers.
        builder.Services.AddTransient<HealthDetailReader>();
        builder.Services.AddHealthScoreApi()
            .ConfigureHttpClient((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<HealthScoreClientOptions>>().Value;
                http.BaseAddress = options.BaseAddress;
                // The Polly pipeline bounds the call; HttpClient's own 100 s default must not cut in first or be the bound.
                http.Timeout = Timeout.InfiniteTimeSpan;
                var key = string.IsNullOrEmpty(options.ApiKey)
                    ? services.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Keys.FirstOrDefault(k => k.Scopes.Contains(Scopes.Read))?.Key
                    : options.ApiKey;
                if (!string.IsNullOrEmpty(key))
                {
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                }
            })
            .AddResilienceHandler("healthscore-detail", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<HealthScoreClientOptions>>().Value;
                // Network waits are wall-clock time, whatever clock the renewal rules read (a test's fake one included).
                pipeline.TimeProvider = TimeProvider.System;
                pipeline
                    .AddTimeout(options.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, options.Retries),
                        ShouldHandle = options.Retries == 0 ? _ => ValueTask.FromResult(false) : new HttpRetryStrategyOptions().ShouldHandle,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(100),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 5,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = options.BreakDuration,
                    })
                    .AddTimeout(options.AttemptTimeout);
            });
    }
}
