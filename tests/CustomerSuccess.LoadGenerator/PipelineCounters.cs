using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace CustomerSuccess.LoadGenerator;

/// <summary>One service's store at an instant: events in its log, ids in its applied-id ledger, bytes on disk.</summary>
public sealed record StoreCount(long Events, long LedgerRows, long Bytes);

/// <summary>
/// What the pipeline has done so far, from the servers' own counters: each service's store, PostgreSQL's transactions,
/// inserted rows and WAL, and the broker's messages in the benchmark's virtual host. Two snapshots around a phase give
/// its rows, round trips and broker hops per event.
/// </summary>
public sealed record PipelineSnapshot(
    IReadOnlyDictionary<string, StoreCount> Stores, long Commits, long RowsInserted, long WalBytes, long? Statements, long Published, long Delivered)
{
    public static readonly string[] Schemas = ["ingestion", "healthscore", "lifecycle", "renewal"];

    public static async Task<PipelineSnapshot> TakeAsync(NpgsqlDataSource postgres, HttpClient? management, string? vhost, CancellationToken cancellationToken)
    {
        var stores = new Dictionary<string, StoreCount>();
        foreach (var schema in Schemas)
        {
            var ledger = await LedgerTableAsync(postgres, schema, cancellationToken);
            var events = await ScalarOrZeroAsync(postgres, $"SELECT count(*) FROM {schema}.mt_events", cancellationToken);
            var ledgerRows = ledger is null ? 0 : await ScalarOrZeroAsync(postgres, $"SELECT count(*) FROM {ledger}", cancellationToken);
            var bytes = await ScalarOrZeroAsync(
                postgres,
                $"SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'm')",
                cancellationToken);
            stores[schema] = new StoreCount(events, ledgerRows, bytes);
        }

        var commits = await ScalarOrZeroAsync(postgres, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", cancellationToken);
        var inserted = await ScalarOrZeroAsync(postgres, "SELECT tup_inserted FROM pg_stat_database WHERE datname = current_database()", cancellationToken);
        var wal = await ScalarOrZeroAsync(postgres, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn", cancellationToken);
        long? statements = null;
        if (await ScalarOrZeroAsync(postgres, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'", cancellationToken) > 0)
        {
            statements = await ScalarOrZeroAsync(
                postgres, "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())", cancellationToken);
        }

        long published = 0, delivered = 0;
        if (management is not null && vhost is not null)
        {
            using var response = await management.GetAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (json.RootElement.TryGetProperty("message_stats", out var stats))
                {
                    published = stats.TryGetProperty("publish", out var p) ? p.GetInt64() : 0;
                    delivered = stats.TryGetProperty("deliver_get", out var d) ? d.GetInt64() : 0;
                }
            }
        }

        return new PipelineSnapshot(stores, commits, inserted, wal, statements, published, delivered);
    }

    /// <summary>A client for the RabbitMQ management API (guest unless the URL carries a user).</summary>
    public static HttpClient ManagementClient(Uri management)
    {
        var user = string.IsNullOrEmpty(management.UserInfo) ? "guest:guest" : Uri.UnescapeDataString(management.UserInfo);
        var http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        return http;
    }

    /// <summary>
    /// The service's applied-id ledger: the narrow table <c>applied_events</c> where the schema has one, else the
    /// Marten document table of earlier versions; null when neither exists (yet).
    /// </summary>
    public static async Task<string?> LedgerTableAsync(NpgsqlDataSource postgres, string schema, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(
            $"SELECT coalesce(to_regclass('{schema}.applied_events'), to_regclass('{schema}.mt_doc_appliedevent'))::text");
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<long> ScalarOrZeroAsync(NpgsqlDataSource postgres, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = postgres.CreateCommand(sql);
            return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
                ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
                : 0;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return 0;
        }
    }
}

/// <summary>The raw rates a ceiling is composed of, measured in the same run before the load.</summary>
public sealed record RawRates(double AppendOnly, double AppendWithLedger, double BrokerPageMessages);

/// <summary>
/// The throughput the pipeline could reach on this machine given the work each ingested event needs, composed from
/// raw rates: every raw rate was measured with the whole machine, so 1 / rate is the machine time one unit of that work
/// takes, and an event's machine time is the sum over the work it needs. Ceiling = 1 / that sum.
/// </summary>
public sealed record PipelineCeiling(
    IReadOnlyDictionary<string, (double Events, double LedgerRows)> PerEventStores, double BrokerHopsPerEvent, double SecondsPerEvent)
{
    public double EventsPerSecond => 1 / SecondsPerEvent;

    /// <summary>
    /// Per ingested event: for each store, its appended events × (1 / append rate) plus its ledger rows × the ledger's
    /// extra cost per row (1 / append-with-ledger rate − 1 / append rate); plus the broker hops (a publish and a delivery
    /// count half a raw publish+consume each) × (1 / the page-sized raw message rate). Page-sized messages are the
    /// cheapest per event the broker offers, so the broker's share is a lower bound and the ceiling an upper one.
    /// </summary>
    public static PipelineCeiling Compose(PipelineSnapshot before, PipelineSnapshot after, long events, RawRates rates)
    {
        var perStore = new Dictionary<string, (double Events, double LedgerRows)>();
        var seconds = 0.0;
        var ledgerExtra = Math.Max(0, (1 / rates.AppendWithLedger) - (1 / rates.AppendOnly));
        foreach (var (schema, end) in after.Stores)
        {
            var start = before.Stores.GetValueOrDefault(schema) ?? new StoreCount(0, 0, 0);
            var appended = (end.Events - start.Events) / (double)events;
            var ledgerRows = (end.LedgerRows - start.LedgerRows) / (double)events;
            perStore[schema] = (appended, ledgerRows);
            seconds += (appended / rates.AppendOnly) + (ledgerRows * ledgerExtra);
        }

        var hops = ((after.Published - before.Published) + (after.Delivered - before.Delivered)) / 2.0 / events;
        seconds += hops / rates.BrokerPageMessages;
        return new PipelineCeiling(perStore, hops, seconds);
    }
}
