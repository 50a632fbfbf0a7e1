using CustomerSuccess.ServiceDefaults.Problems;
using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weasel.Core;
using Weasel.Core.Migrations;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// Schema changes as an explicit step. In Development and tests a service creates and updates its schema at start-up;
/// in Production it never changes the database on its own: the operator runs <c>dotnet CustomerSuccess.&lt;Service&gt;.dll
/// db apply</c> (apply every pending change) or <c>db patch FILE</c> (write the SQL for review or a DBA) before starting
/// the new version, and a service started against an older schema refuses to start and says so.
/// </summary>
public static class EventStoreSchema
{
    /// <summary>Whether the service may create and update its schema itself: everywhere but Production.</summary>
    public static bool AppliesChangesOnStartup(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !environment.IsProduction();
    }

    public static bool IsRequested(IReadOnlyList<string> args) =>
        args.Count >= 2 && args[0] == "db" && args[1] is "apply" or "patch";

    /// <summary>Runs <c>db apply</c> or <c>db patch FILE</c> against the service's store.</summary>
    /// <returns>0 on success, 1 when the command failed (its error on <paramref name="error"/>), 2 for a bad command line.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var command = string.Join(' ', args.Take(2));
        if (args[1] == "patch" && args.Count < 3)
        {
            await error.WriteLineAsync("db patch: name the file to write, e.g. db patch healthscore-schema.sql");
            return 2;
        }

        var schema = "?";
        try
        {
            var store = services.GetRequiredService<IDocumentStore>();
            schema = services.GetRequiredService<StoreOptions>().Events.DatabaseSchemaName;
            var migration = await store.Storage.Database.CreateMigrationAsync(cancellationToken);
            if (migration.Difference == SchemaPatchDifference.None)
            {
                await output.WriteLineAsync($"{command}: schema {schema} is up to date; nothing to change");
                return 0;
            }

            if (args[1] == "apply")
            {
                await ApplyAsync(store, cancellationToken);
                await output.WriteLineAsync($"{command}: schema {schema}: applied ({migration.Difference})");
            }
            else
            {
                await store.Storage.Database.WriteMigrationFileAsync(args[2], cancellationToken);
                await output.WriteLineAsync($"{command}: schema {schema}: wrote the SQL of the pending changes ({migration.Difference}) to {args[2]}");
            }

            return 0;
        }
        catch (Exception exception)
        {
            await error.WriteLineAsync($"{command}: schema {schema}: FAILED: {exception}");
            return 1;
        }
    }

    /// <summary>Creates or updates every configured schema object (tables, functions, event store) now.</summary>
    public static Task ApplyAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        cancellationToken.ThrowIfCancellationRequested();
        return store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
    }

    /// <summary>Throws <see cref="SchemaNotAppliedException"/> when the database lacks changes the service's configuration needs.</summary>
    public static async Task EnsureAppliedAsync(IDocumentStore store, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var migration = await store.Storage.Database.CreateMigrationAsync(cancellationToken);
        if (migration.Difference != SchemaPatchDifference.None)
        {
            throw new SchemaNotAppliedException(schema, migration.Difference);
        }
    }
}

/// <summary>The service's schema is missing or older than its code; in Production only <c>db apply</c> changes it.</summary>
public sealed class SchemaNotAppliedException(string schema, SchemaPatchDifference difference) : Exception(
    $"The event store schema '{schema}' does not match this version of the service ({difference} needed), and in Production a " +
    "service never changes its schema itself. Apply the changes first with the service's own configuration: " +
    "dotnet CustomerSuccess.<Service>.dll db apply (or write the SQL with: db patch FILE), then start the service.");

/// <summary>In Production, checks at start-up, before anything else runs, that <c>db apply</c> was run for this version.</summary>
internal sealed partial class SchemaCheck(IDocumentStore store, StoreOptions options, ILogger<SchemaCheck> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EventStoreSchema.EnsureAppliedAsync(store, options.Events.DatabaseSchemaName, cancellationToken);
        }
        catch (Exception exception) when (KnownExceptionHandler.IsStoreUnavailable(exception))
        {
            // A restart during a database outage must still come up (health checks report it); the check cannot run.
            LogUnchecked(logger, options.Events.DatabaseSchemaName, exception);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unreachable at start-up: could not check that schema {Schema} is applied")]
    private static partial void LogUnchecked(ILogger logger, string schema, Exception exception);
}
