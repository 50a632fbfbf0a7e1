using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// The operator command <c>dotnet CustomerSuccess.&lt;Service&gt;.dll projections rebuild</c>: rebuilds every projection
/// of the service from its own event store with Marten's projection daemon (documents torn down, every event replayed),
/// with the service's own configuration, and exits. The host is built but never started, so neither the bus
/// consumers nor the async daemon's subscriptions (the outbox relays) run: nothing is published. Projections only are
/// rebuilt; subscriptions are never replayed. Run it while the service is stopped: a running consumer appends and
/// updates the same documents while they are torn down and replayed.
/// </summary>
/// <remarks>
/// JasperFx's own <c>projections rebuild</c> (via <c>RunJasperFxCommands</c>) would take over the whole command line of
/// the services, prints no event counts and swallows the failure's cause; this keeps the same argv and the same daemon
/// call (<c>RebuildProjectionAsync</c>) with an exit code and a line per projection.
/// </remarks>
public static class ProjectionRebuild
{
    /// <summary>How long one projection's replay may take before the daemon gives up on it.</summary>
    public static readonly TimeSpan ShardTimeout = TimeSpan.FromMinutes(30);

    public static bool IsRequested(IReadOnlyList<string> args) =>
        args.Count >= 2 && args[0] == "projections" && args[1] == "rebuild";

    /// <summary>
    /// Runs the service, or, when <paramref name="args"/> name an operator command, that command alone with the service's
    /// configuration (the host is built, never started): <c>projections rebuild</c>, <c>db apply</c>, <c>db patch FILE</c>.
    /// </summary>
    /// <returns>The process exit code.</returns>
    public static int RunOrExecuteCommand(this IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (!IsRequested(args) && !EventStoreSchema.IsRequested(args))
        {
            app.Run();
            return 0;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        var command = IsRequested(args)
            ? RebuildAllAsync(app.Services, Console.Out, Console.Error, cancellation.Token)
            : EventStoreSchema.RunAsync(app.Services, args, Console.Out, Console.Error, cancellation.Token);
        return command.GetAwaiter().GetResult();
    }

    /// <summary>Rebuilds every stored (inline or async) projection of the service's store, one after the other.</summary>
    /// <returns>0 when all were rebuilt (or there were none), 1 when one failed (its error on <paramref name="error"/>).</returns>
    public static async Task<int> RebuildAllAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var schema = "?";
        try
        {
            var store = services.GetRequiredService<IDocumentStore>();
            var options = services.GetRequiredService<StoreOptions>();
            var tuning = services.GetRequiredService<IConfiguration>().GetSection(ProjectionRebuildOptions.Section).Get<ProjectionRebuildOptions>()
                ?? new ProjectionRebuildOptions();
            Validator.ValidateObject(tuning, new ValidationContext(tuning), validateAllProperties: true);
            schema = options.Events.DatabaseSchemaName;

            // Outside Production the service's start-up would have applied these (the host is not started here); in
            // Production only db apply changes the schema, so a rebuild against an older one stops before it starts.
            if (EventStoreSchema.AppliesChangesOnStartup(services.GetRequiredService<IHostEnvironment>()))
            {
                await EventStoreSchema.ApplyAsync(store, cancellationToken);
            }
            else
            {
                await EventStoreSchema.EnsureAppliedAsync(store, schema, cancellationToken);
            }

            var statistics = await store.Advanced.FetchEventStoreStatistics(token: cancellationToken);
            var sources = options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToList();
            foreach (var source in sources)
            {
                // Only this process rebuilds, so these never change how the running service projects.
                source.Options.BatchSize = tuning.BatchSize;
                source.Options.RebuildFlushThreshold = tuning.FlushThreshold;
            }

            var projections = sources.Select(p => p.Name).ToList();
            if (projections.Count == 0)
            {
                await output.WriteLineAsync(Invariant($"projections rebuild: schema {schema} has no projections to rebuild ({statistics.EventCount} events stored; subscriptions are never replayed)"));
                return 0;
            }

            using var daemon = await store.BuildProjectionDaemonAsync();
            var total = Stopwatch.StartNew();
            foreach (var name in projections)
            {
                var elapsed = Stopwatch.StartNew();
                await daemon.RebuildProjectionAsync(name, ShardTimeout, cancellationToken);
                elapsed.Stop();
                await output.WriteLineAsync(Invariant(
                    $"rebuilt projection {name} in schema {schema}: {statistics.EventCount} events in {elapsed.Elapsed.TotalSeconds:F1} s ({Rate(statistics.EventCount, elapsed.Elapsed):F0} events/s)"));
            }

            await output.WriteLineAsync(Invariant(
                $"projections rebuild: schema {schema}: {projections.Count} projection(s) ({string.Join(", ", projections)}) from {statistics.EventCount} events in {statistics.StreamCount} streams in {total.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }
        catch (Exception exception)
        {
            await error.WriteLineAsync($"projections rebuild: schema {schema}: FAILED: {exception}");
            return 1;
        }
    }

    /// <summary>How the rebuild pages through the store (<c>EventStore:Rebuild:*</c>); the running service ignores these.</summary>
    public sealed class ProjectionRebuildOptions
    {
        public const string Section = "EventStore:Rebuild";

        /// <summary>Events fetched and applied per page (Marten's <c>AsyncOptions.BatchSize</c>; its default is 500).</summary>
        [Range(100, 1_000_000)]
        public int BatchSize { get; set; } = 10_000;

        /// <summary>
        /// Documents held in memory, written once each when this many are pending or the replay ends (Marten's
        /// <c>AsyncOptions.RebuildFlushThreshold</c>; 0 writes every touched document after every page).
        /// </summary>
        [Range(0, 10_000_000)]
        public int FlushThreshold { get; set; } = 2_000;
    }

    private static double Rate(long events, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? events / elapsed.TotalSeconds : 0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
