using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CustomerSuccess.Client;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.HealthScore;
using CustomerSuccess.HealthScore.Publishing;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.ScoringModels;
using CustomerSuccess.Ingestion;
using CustomerSuccess.Ingestion.Envelopes;
using CustomerSuccess.Ingestion.Relay;
using CustomerSuccess.Lifecycle;
using CustomerSuccess.Lifecycle.Publishing;
using CustomerSuccess.Lifecycle.Stages;
using CustomerSuccess.Renewal;
using CustomerSuccess.Renewal.Publishing;
using CustomerSuccess.Renewal.Renewals;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// <c>seed-store</c>: writes the synthetic customers' events straight into one service's event store, with that
/// service's own Marten configuration (its projections run inline as in production), in large batches, so that a
/// projection rebuild can be measured on a million events without pushing them through the pipeline. HealthScore's
/// events go through the same edge its consumer uses (<c>CustomerHealthEvaluator.RecordAsync</c>), so the
/// store also holds the <see cref="HealthEvaluated"/> events a real one has (one per customer and batch at most);
/// Lifecycle and Renewal append the kinds their consumers keep; Ingestion appends every envelope. Finishes with
/// <c>ANALYZE</c> of the event tables.
/// As a benchmark's history (<c>--ledger true --relays-caught-up true</c>) the store is left as if its service had
/// applied and relayed those events itself: their ids in its applied-id ledger, its relay's position at the end of its
/// log (the history is not sent through the broker again when the service starts).
/// </summary>
public static class StoreSeeder
{
    /// <summary>
    /// <c>seed-store --service ingestion|healthscore|lifecycle|renewal --postgres CONN --schema S [--stored-events 1000000]
    /// [--envelopes N] [--customers 1000] [--seed 42] [--batch 50000] [--ledger true] [--relays-caught-up true]</c> plus the
    /// generator's <c>--prefix --event-prefix --days --until</c>: stops once the store holds at least
    /// <c>--stored-events</c> events or the synthetic span (<c>--envelopes</c> envelopes when given) is over.
    /// </summary>
    public static async Task<int> SeedAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var service = arguments.Require("service");
        var target = arguments.GetLong("stored-events", 1_000_000);
        var batchSize = arguments.GetInt("batch", 50_000);
        var ledger = arguments.Get("ledger", "false") == "true";
        var envelopes = arguments.GetOrNull("envelopes") is null ? (long?)null : arguments.GetLong("envelopes", 0);
        if (envelopes is not null)
        {
            target = long.MaxValue;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = arguments.Require("postgres"),
            ["EventStore:Schema"] = arguments.Require("schema"),
            ["EventStore:DaemonMode"] = "Solo",
            ["Logging:LogLevel:Default"] = "Warning",
            ["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:5672/", // registered by the service wiring, never started here
        });
        Func<IDocumentSession, IReadOnlyList<CustomerEvent>, DateTimeOffset, CancellationToken, Task<int>> append = service switch
        {
            "ingestion" => (session, events, _, _) => AppendAllAsync(session, events),
            "healthscore" => AppendHealthFactsAsync,
            "lifecycle" => (session, events, _, _) => AppendKindsAsync(session, events, LifecycleEventsConsumer.KeptTypes),
            "renewal" => (session, events, _, _) => AppendKindsAsync(session, events, RenewalEventsConsumer.KeptTypes),
            _ => throw new ArgumentException("--service must be ingestion, healthscore, lifecycle or renewal"),
        };
        Func<CustomerEvent, bool> keeps = service switch
        {
            "ingestion" => _ => true,
            "healthscore" => CustomerFacts.IsFact,
            "lifecycle" => e => LifecycleEventsConsumer.KeptTypes.Contains(e.GetType()),
            _ => e => RenewalEventsConsumer.KeptTypes.Contains(e.GetType()),
        };
        var relay = service switch
        {
            "ingestion" => EventLogRelay.RelayName,
            "healthscore" => HealthChangeRelay.RelayName,
            "lifecycle" => LifecycleChangeRelay.RelayName,
            _ => RenewalRelay.RelayName,
        };
        _ = service switch
        {
            "ingestion" => builder.AddMessaging(IngestionServices.ServiceName).AddIngestion(), // its relay needs the bus registered (never started here)
            "healthscore" => builder.AddHealthScore(),
            "lifecycle" => builder.AddLifecycle(),
            _ => builder.AddRenewal(),
        };

        using var host = builder.Build();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await EventStoreSchema.ApplyAsync(store, CancellationToken.None);

        // Generous: HealthScore keeps ~95 % of the envelopes; Lifecycle and Renewal far fewer (the year ends first).
        var generator = arguments.Generator("seed", envelopes ?? (long)(target * 1.2));
        var ingestion = new IngestionOptions { MaxClockSkew = TimeSpan.FromDays(1) };
        var clock = Stopwatch.StartNew();
        long read = 0;
        long stored = 0;
        var batch = new List<CustomerEvent>(batchSize);
        foreach (var envelope in generator.Generate())
        {
            batch.Add(ToEvent(envelope, ingestion));
            read++;
            if (batch.Count == batchSize)
            {
                stored += await CommitAsync(store, batch, append, ledger ? keeps : null, cancellationToken);
                batch.Clear();
                if (read % (batchSize * 10) == 0)
                {
                    Console.WriteLine(Invariant($"  {read:N0} envelopes read, {stored:N0} events stored, {clock.Elapsed.TotalSeconds:F0} s"));
                }

                if (stored >= target)
                {
                    break;
                }
            }
        }

        if (batch.Count > 0 && stored < target)
        {
            stored += await CommitAsync(store, batch, append, ledger ? keeps : null, cancellationToken);
        }

        var schema = arguments.Require("schema");
        await using (var dataSource = NpgsqlDataSource.Create(arguments.Require("postgres")))
        {
            // Fresh statistics, or the daemon's page queries plan as if the tables were empty.
            await using var analyze = dataSource.CreateCommand($"ANALYZE {schema}.mt_events; ANALYZE {schema}.mt_streams;");
            await analyze.ExecuteNonQueryAsync(cancellationToken);
            if (arguments.Get("relays-caught-up", "false") == "true")
            {
                // The daemon's own row for the relay's shard: it resumes after this sequence number.
                await using var caughtUp = dataSource.CreateCommand(
                    $"INSERT INTO {schema}.mt_event_progression (name, last_seq_id, last_updated) SELECT @name, coalesce(max(seq_id), 0), now() FROM {schema}.mt_events " +
                    "ON CONFLICT (name) DO UPDATE SET last_seq_id = EXCLUDED.last_seq_id, last_updated = EXCLUDED.last_updated");
                caughtUp.Parameters.AddWithValue("name", $"{relay}:All");
                await caughtUp.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var statistics = await store.Advanced.FetchEventStoreStatistics(token: cancellationToken);
        Console.WriteLine(Invariant(
            $"seeded {service} (schema {schema}): {statistics.EventCount} events in {statistics.StreamCount} streams from {read:N0} envelopes in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    internal static CustomerEvent ToEvent(EventEnvelope envelope, IngestionOptions options)
    {
        var errors = new Dictionary<string, List<string>>();
        var json = JsonSerializer.SerializeToElement(envelope, Ndjson.Options);
        return EnvelopeReader.Read(json, "", envelope.OccurredAt, options, errors)
            ?? throw new InvalidOperationException($"synthetic envelope {envelope.Id} is invalid: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
    }

    private static async Task<int> CommitAsync(
        IDocumentStore store, List<CustomerEvent> batch, Func<IDocumentSession, IReadOnlyList<CustomerEvent>, DateTimeOffset, CancellationToken, Task<int>> append,
        Func<CustomerEvent, bool>? ledger, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var now = batch.Max(e => e.OccurredAt);
        var appended = await append(session, batch, now, cancellationToken);
        if (ledger is not null)
        {
            session.RecordApplied(batch.Where(ledger).Select(e => e.EventId), now);
        }

        await session.SaveChangesAsync(cancellationToken);
        return appended;
    }

    /// <summary>As HealthScore's consumer does, each customer evaluated as of the batch's last instant.</summary>
    private static async Task<int> AppendHealthFactsAsync(IDocumentSession session, IReadOnlyList<CustomerEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var model = await ScoringModelStore.CurrentAsync(session, cancellationToken);
        var appended = 0;
        foreach (var customer in events.Where(CustomerFacts.IsFact).GroupBy(e => e.CustomerId, StringComparer.Ordinal))
        {
            var facts = customer.ToList();
            var evaluated = await CustomerHealthEvaluator.RecordAsync(session, customer.Key, facts, model, now, cancellationToken);
            appended += facts.Count + (evaluated is null ? 0 : 1);
        }

        return appended;
    }

    /// <summary>As Ingestion's log does: every event, per customer, in the order received.</summary>
    private static Task<int> AppendAllAsync(IDocumentSession session, IReadOnlyList<CustomerEvent> events)
    {
        foreach (var customer in events.GroupBy(e => e.CustomerId, StringComparer.Ordinal))
        {
            session.Events.Append(customer.Key, customer.ToArray<object>());
        }

        return Task.FromResult(events.Count);
    }

    /// <summary>As Lifecycle's and Renewal's consumers do: the kept kinds, in the order they occurred, per customer.</summary>
    private static Task<int> AppendKindsAsync(IDocumentSession session, IReadOnlyList<CustomerEvent> events, IReadOnlySet<Type> kinds)
    {
        var appended = 0;
        foreach (var customer in events.Where(e => kinds.Contains(e.GetType())).GroupBy(e => e.CustomerId, StringComparer.Ordinal))
        {
            var kept = customer.OrderBy(e => e.OccurredAt).ToArray<object>();
            session.Events.Append(customer.Key, kept);
            appended += kept.Length;
        }

        return Task.FromResult(appended);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
