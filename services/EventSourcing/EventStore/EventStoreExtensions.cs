using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Observability;
using CustomerSuccess.ServiceDefaults;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Weasel.Core;

namespace CustomerSuccess.EventSourcing.EventStore;

public static class EventStoreExtensions
{
    /// <summary>
    /// Marten on PostgreSQL in the service's own schema: one event stream per customer (string keys),
    /// System.Text.Json with enums as strings, async daemon for projections and relays. Outside Production the schema is
    /// created and updated at start-up; in Production never (<see cref="EventStoreSchema"/>: <c>db apply</c> does it, and
    /// the service refuses to start against a schema that lacks changes). Applied ids older than
    /// <paramref name="appliedIdRetention"/> (default <see cref="EventStoreOptions.DefaultAppliedIdRetention"/>; configuration
    /// <c>EventStore:AppliedIdRetention</c> overrides either) are pruned in the background.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this IHostApplicationBuilder builder, string serviceName, Action<StoreOptions> configure, TimeSpan? appliedIdRetention = null)
    {
        var eventStoreOptions = builder.Services.AddOptions<EventStoreOptions>();
        if (appliedIdRetention is { } retention)
        {
            // Before the binding, so configuration still overrides the service's default.
            eventStoreOptions.Configure(o => o.AppliedIdRetention = retention);
        }

        eventStoreOptions.BindConfiguration(EventStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = builder.Configuration.GetSection(EventStoreOptions.Section).Get<EventStoreOptions>() ?? new EventStoreOptions();
        builder.Services.AddOptions<SequenceGapOptions>().BindConfiguration(SequenceGapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var gaps = builder.Configuration.GetSection(SequenceGapOptions.Section).Get<SequenceGapOptions>() ?? new SequenceGapOptions();
        builder.Services.AddHostedService<LateCommitAudit>();
        var schema = settings.Schema ?? serviceName.ToLowerInvariant();
        var connectionString = PostgresConnectionString(builder.Configuration);
        var applyOnStartup = EventStoreSchema.AppliesChangesOnStartup(builder.Environment);
        if (!applyOnStartup)
        {
            builder.Services.AddHostedService<SchemaCheck>();
        }

        builder.Services.AddSingleton<AppliedEventPruning>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AppliedEventPruning>());
        builder.Services.AddSingleton<RelayLagGauge>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RelayLagGauge>());
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: [HealthTags.Ready]);

        var marten = builder.Services.AddMarten(options =>
            {
                options.Connection(connectionString);
                options.DatabaseSchemaName = schema;
                options.Events.DatabaseSchemaName = schema;
                options.Events.StreamIdentity = StreamIdentity.AsString;
                options.Events.AppendMode = EventAppendMode.Quick;
                // Relays and projections hear of a commit at once instead of waiting for the next poll.
                options.Events.UseListenNotifyForEventAppends = true;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                options.AutoCreateSchemaObjects = applyOnStartup ? AutoCreate.CreateOrUpdate : AutoCreate.None;
                // Part of the schema, so db apply creates the ledger's table and the Production schema check knows it.
                options.Storage.ExtendedSchemaObjects.Add(new AppliedEventTable(schema));
                options.DisableNpgsqlLogging = true;
                // Each event keeps the traceparent of the span that appended it, so relays and consumers link to its trace.
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Listeners.Add(new EventTracing.CausationStamp());
                gaps.ApplyTo(options);
                options.Projections.LeadershipPollingTime = (int)settings.LeadershipPollingTime.TotalMilliseconds;
                configure(options);
                SequenceGapOptions.Verify(options);
            })
            .UseLightweightSessions();
        if (applyOnStartup)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }

        return marten.AddAsyncDaemon(Enum.Parse<DaemonMode>(settings.DaemonMode, ignoreCase: true));
    }

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set (e.g. ConnectionStrings__Postgres=\"Host=127.0.0.1;Port=55432;Username=postgres;Database=customersuccess\").");
}
