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
    /// System.Text.Json with enums as strings, schema created at start-up, async daemon for projections and relays.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this IHostApplicationBuilder builder, string serviceName, Action<StoreOptions> configure)
    {
        builder.Services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = builder.Configuration.GetSection(EventStoreOptions.Section).Get<EventStoreOptions>() ?? new EventStoreOptions();
        var schema = settings.Schema ?? serviceName.ToLowerInvariant();
        var connectionString = PostgresConnectionString(builder.Configuration);

        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: [HealthTags.Ready]);

        return builder.Services.AddMarten(options =>
            {
                options.Connection(connectionString);
                options.DatabaseSchemaName = schema;
                options.Events.DatabaseSchemaName = schema;
                options.Events.StreamIdentity = StreamIdentity.AsString;
                options.Events.AppendMode = EventAppendMode.Quick;
                // Relays and projections hear of a commit at once instead of waiting for the next poll.
                options.Events.UseListenNotifyForEventAppends = true;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.DisableNpgsqlLogging = true;
                configure(options);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(Enum.Parse<DaemonMode>(settings.DaemonMode, ignoreCase: true));
    }

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set (e.g. ConnectionStrings__Postgres=\"Host=127.0.0.1;Port=55432;Username=postgres;Database=customersuccess\").");
}
