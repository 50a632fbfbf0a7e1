using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CustomerSuccess.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Refit;

namespace CustomerSuccess.LoadGenerator;

/// <summary>The measured run behind deploy/benchmark.sh; writes a Markdown results section to <c>--out</c>.</summary>
public sealed class Benchmark(Arguments arguments, IServiceProvider provider)
{
    private static readonly HashSet<string> _healthScoreTypes =
    [
        "customer.profiled", "usage.recorded", "seats.reported", "ticket.opened", "ticket.responded", "ticket.resolved", "ticket.reopened",
        "survey.answered", "contract.signed", "contract.amended", "contract.renewed", "contract.cancelled", "stakeholder.changed",
        "referral.made", "feedback.recorded",
    ];

    private static readonly HashSet<string> _lifecycleTypes = ["customer.profiled", "contract.signed", "contract.renewed", "contract.cancelled", "milestone.reached"];
    private static readonly HashSet<string> _renewalTypes = ["contract.signed", "contract.amended", "contract.renewed", "contract.cancelled", "invoice.issued", "invoice.paid", "stakeholder.changed", "customer.profiled"];
    private static readonly string[] _consumers = ["healthscore", "lifecycle", "renewal"];

    private readonly IIngestionApi _ingestion = provider.GetRequiredService<IIngestionApi>();
    private readonly IHealthScoreApi _health = provider.GetRequiredService<IHealthScoreApi>();
    private readonly HttpClient? _management = arguments.GetOrNull("rabbitmq-management") is { } m ? PipelineSnapshot.ManagementClient(new Uri(m)) : null;
    private readonly HttpClient _sender = LoadSender.IngestionClient(new Uri(arguments.Require("ingestion")), arguments.Require("api-key"));
    private readonly StringBuilder _report = new();
    private readonly Dictionary<string, long> _expected = _consumers.ToDictionary(c => c, _ => 0L);
    private readonly Dictionary<string, int> _pids = ParsePids(arguments.Get("pids", ""));
    private string _postgres = "";
    private int _probeNumber;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _postgres = arguments.Require("postgres");
        var rabbit = new Uri(arguments.Require("rabbitmq"));
        var events = arguments.GetLong("events", 300_000);
        var customers = arguments.GetInt("customers", 1000);
        var batch = arguments.GetInt("batch", 500);
        var concurrency = arguments.GetInt("concurrency", 4);
        var freshnessSeconds = arguments.GetInt("freshness-seconds", 30);
        var ceilingScale = arguments.GetInt("ceiling-messages", 20_000);

        var sample = arguments.Generator("size", 2000).Generate().ToList();
        var size = (int)sample.Average(Ndjson.Size);
        Line($"Data set: {customers} synthetic customers over one year, seed {arguments.GetInt("seed", 42)}; mean envelope {size} bytes of JSON; batches of {batch}, {concurrency} requests in flight.");
        Line("");

        // 1. raw ceilings, before any load
        Say("raw ceilings");
        var rabbitEvent = await RawCeilings.RabbitMqAsync(rabbit, ceilingScale, size, 500, cancellationToken);
        var rabbitPage = await RawCeilings.RabbitMqAsync(rabbit, Math.Max(40, ceilingScale / 200), size * 500, 20, cancellationToken);
        var postgresRows = await RawCeilings.PostgresAsync(_postgres, ceilingScale * 10, size, 4, 500, cancellationToken);
        Say(FormattableString.Invariant($"rabbit {rabbitEvent:F0} msg/s (event size), {rabbitPage:F0} msg/s (page size = {rabbitPage * 500:F0} events/s), postgres {postgresRows:F0} rows/s"));
        var martenEvents = ceilingScale * 2;
        foreach (var shape in Enum.GetValues<AppliedIdLedger>())
        {
            // JIT and connection pool warm-up, not measured: the first run of each path would carry it alone.
            await RawCeilings.MartenAppendAsync(_postgres, shape, batch * concurrency * 2, customers, batch, concurrency, size, cancellationToken);
        }

        var martenAppend = await RawCeilings.MartenAppendAsync(_postgres, AppliedIdLedger.None, martenEvents, customers, batch, concurrency, size, cancellationToken);
        var martenDocuments = await RawCeilings.MartenAppendAsync(_postgres, AppliedIdLedger.Documents, martenEvents, customers, batch, concurrency, size, cancellationToken);
        var martenTable = await RawCeilings.MartenAppendAsync(_postgres, AppliedIdLedger.Table, martenEvents, customers, batch, concurrency, size, cancellationToken);
        Say(FormattableString.Invariant($"marten append {martenAppend:F0} events/s; with the ledger as documents {martenDocuments:F0}, as a table {martenTable:F0}"));

        // 2. freshness at a fixed moderate rate
        Say("freshness at 1,000 events/s");
        var moderateEvents = 1000L * freshnessSeconds;
        var moderate = Send(Prepare(arguments.Generator("m", moderateEvents), batch, concurrency), 1000, cancellationToken);
        var moderateProbes = await ProbeWhileAsync(moderate, cancellationToken);
        var moderateResult = await moderate;
        await WaitAppliedAsync(TimeSpan.FromMinutes(3), null, cancellationToken);

        // 3. sustained throughput, as fast as possible, with probes (freshness near saturation)
        Say($"throughput: {events} events as fast as possible");
        var throughputLoad = Prepare(arguments.Generator("t", events), batch, concurrency);
        var baseline = await CountsAsync(cancellationToken);
        var pipelineBefore = await SnapshotAsync(cancellationToken);
        var commitsBefore = await GroupCommitsAsync(cancellationToken);
        var cpuBefore = CpuSnapshot();
        var phaseFile = arguments.GetOrNull("phase-file");
        if (phaseFile is not null)
        {
            await File.WriteAllTextAsync(phaseFile, "throughput\n", cancellationToken); // deploy/benchmark.sh --perf starts its capture
        }

        var clock = Stopwatch.StartNew();
        var load = Send(throughputLoad, null, cancellationToken);
        var drain = DrainAfterAsync(load, clock, cancellationToken); // measured while the probes still wait
        var saturatedProbes = await ProbeWhileAsync(load, cancellationToken);
        var loadResult = await load;
        var (drained, endToEnd) = await drain;
        await WaitAppliedAsync(TimeSpan.FromMinutes(10), null, cancellationToken); // the probes' own events
        var cpuAfter = CpuSnapshot();
        if (phaseFile is not null)
        {
            await File.WriteAllTextAsync(phaseFile, "done\n", cancellationToken);
        }

        var pipelineAfter = await SnapshotAsync(cancellationToken);
        var commitsAfter = await GroupCommitsAsync(cancellationToken);
        var after = await CountsAsync(cancellationToken);
        var applied = _consumers.Sum(c => after[c] - baseline[c]);

        // 4. a 100k-line backfill request, Ingestion's memory sampled while it streams
        var bulkLines = arguments.GetInt("bulk-lines", 100_000);
        (long Accepted, long Duplicates, long Rejected, double Seconds, double RssBeforeMb, double RssMaxMb)? bulk = null;
        if (bulkLines > 0)
        {
            Say($"bulk: {bulkLines}-line NDJSON request");
            bulk = await BulkAsync(arguments.Generator("b", bulkLines), cancellationToken);
            await WaitAppliedAsync(TimeSpan.FromMinutes(10), null, cancellationToken);
        }

        var logSize = await ScalarAsync("SELECT count(*) FROM ingestion.mt_events", cancellationToken);
        var stores = await SnapshotAsync(cancellationToken);

        // report
        var e2eRate = loadResult.Accepted / endToEnd.TotalSeconds;
        Line("### Throughput");
        Line("| measure | value |");
        Line("|---|---|");
        Line(Invariant($"| events sent (as fast as possible) | {loadResult.Sent:N0} (accepted {loadResult.Accepted:N0}, duplicates {loadResult.Duplicates:N0}, failed {loadResult.Failed:N0}; requests re-sent after a 5xx: {loadResult.RetriedRequests:N0}) |"));
        Line(Invariant($"| **ingestion, accepted/s** (202s, sustained over {loadResult.Elapsed.TotalSeconds:F0} s) | **{loadResult.AcceptedPerSecond:N0}** |"));
        Line(Invariant($"| **end to end, events/s** (first POST → the last of them applied in all three consumers; {endToEnd.TotalSeconds:F0} s) | **{e2eRate:N0}** |"));
        foreach (var consumer in _consumers)
        {
            Line(Invariant($"| {consumer}: applied {after[consumer] - baseline[consumer]:N0} of them, done after | {drained.GetValueOrDefault(consumer).TotalSeconds:F1} s ({(after[consumer] - baseline[consumer]) / Math.Max(0.001, drained.GetValueOrDefault(consumer).TotalSeconds):N0} applied/s) |"));
        }

        Line(Invariant($"| applications in total (one event counts once per consumer that keeps its type) | {applied:N0} ({applied / endToEnd.TotalSeconds:N0}/s) |"));
        foreach (var consumer in _consumers.Where(c => commitsAfter.ContainsKey(c) && commitsBefore.ContainsKey(c)))
        {
            var (commits, pages, pageEvents) = commitsAfter[consumer];
            var (commits0, pages0, pageEvents0) = commitsBefore[consumer];
            var n = Math.Max(1, commits - commits0);
            Line(Invariant($"| {consumer}: commits of ingested pages (`customersuccess_messaging_messages_per_commit`) | {commits - commits0:N0}, {(pages - pages0) / n:F1} pages and {(pageEvents - pageEvents0) / n:N0} events each on average |"));
        }

        Line(Invariant($"| at 1,000 events/s for {freshnessSeconds} s: accepted/s | {moderateResult.AcceptedPerSecond:N0} |"));
        Line("");
        Line("CPU seconds used during the throughput phase (from /proc; machine total is 2 cores × wall time):");
        Line("");
        Line("| process | CPU s | share of machine |");
        Line("|---|---|---|");
        var machine = (cpuAfter["machine"] - cpuBefore["machine"]) / (double)Environment.ProcessorCount;
        foreach (var key in cpuAfter.Keys.Where(k => k != "machine" && cpuBefore.ContainsKey(k)))
        {
            var used = cpuAfter[key] - cpuBefore[key];
            Line(Invariant($"| {key} | {used:F1} | {100 * used / Math.Max(0.001, machine * Environment.ProcessorCount):F0} % |"));
        }

        Line(Invariant($"| (wall time × 2 cores) | {machine * Environment.ProcessorCount:F1} | 100 % |"));
        Line("");
        Line("### Freshness (202 → `GET /v1/customers/{id}/health` answers for a new probe customer)");
        Line("| load | probes | p50 | p95 | p99 | max |");
        Line("|---|---|---|---|---|---|");
        Line(Percentiles("1,000 events/s", moderateProbes));
        Line(Percentiles(Invariant($"saturation ({loadResult.AcceptedPerSecond:N0} accepted/s)"), saturatedProbes));
        Line("");
        Line("### Raw ceilings (same run, same machine, before the load)");
        Line("| path | rate | our end to end ÷ ceiling |");
        Line("|---|---|---|");
        Line(Invariant($"| RabbitMQ publish+consume, persistent, confirms, {size}-byte messages (one per event), 500 in flight, prefetch 500 | {rabbitEvent:N0} msg/s | {e2eRate / rabbitEvent:P0} |"));
        Line(Invariant($"| same, {size * 500 / 1024:N0} KiB messages (one per page of 500 events), 20 in flight | {rabbitPage:N0} msg/s = {rabbitPage * 500:N0} events/s | {e2eRate / (rabbitPage * 500):P0} |"));
        Line(Invariant($"| PostgreSQL insert, text id PK + {size}-byte jsonb rows, 500 rows per commit, 4 connections | {postgresRows:N0} rows/s | {e2eRate / postgresRows:P0} |"));
        Line("");
        var ledgerTable = await LedgerIsTableAsync(cancellationToken);
        var phaseEvents = Math.Max(1, loadResult.Accepted + Volatile.Read(ref _probeNumber));
        var ceiling = PipelineCeiling.Compose(
            pipelineBefore, pipelineAfter, phaseEvents, new RawRates(martenAppend, ledgerTable ? martenTable : martenDocuments, rabbitPage));
        Line(Invariant($"| Marten append, {size}-byte events into {customers} streams, pages of {batch} events per commit, {concurrency} writers (each its own streams), no ledger | {martenAppend:N0} events/s | {e2eRate / martenAppend:P0} |"));
        Line(Invariant($"| same + applied-id ledger as one Marten document per id (LoadMany + Insert per page) | {martenDocuments:N0} events/s | {e2eRate / martenDocuments:P0} |"));
        Line(Invariant($"| same + applied-id ledger as a narrow table (one select + one insert statement per page) | {martenTable:N0} events/s | {e2eRate / martenTable:P0} |"));
        Line("");
        WriteCeiling(ceiling, ledgerTable, martenAppend, ledgerTable ? martenTable : martenDocuments, rabbitPage, e2eRate, pipelineBefore, pipelineAfter, phaseEvents, cpuAfter["machine"] - cpuBefore["machine"]);
        if (bulk is { } b)
        {
            Line(Invariant($"### Backfill: one {bulkLines / 1000:N0}k-line `POST /v1/events/bulk`"));
            Line(Invariant($"accepted {b.Accepted:N0}, duplicates {b.Duplicates:N0}, rejected {b.Rejected:N0} in {b.Seconds:F1} s ({b.Accepted / Math.Max(0.001, b.Seconds):N0}/s); request body ≈ {(long)bulkLines * size / 1048576:N0} MiB; Ingestion RSS before {b.RssBeforeMb:F0} MB, max while streaming {b.RssMaxMb:F0} MB (+{b.RssMaxMb - b.RssBeforeMb:F0} MB)."));
            Line("");
        }

        Line(Invariant($"Ingestion's event log now holds {logSize:N0} events."));
        Line("");
        WriteStores(stores);
        await File.WriteAllTextAsync(arguments.Require("out"), _report.ToString(), cancellationToken);
        if (arguments.GetOrNull("summary") is { } summary)
        {
            // key=value lines for deploy/benchmark.sh --matrix
            var lines = new List<string>
            {
                Invariant($"e2e={e2eRate:F0}"),
                Invariant($"accepted={loadResult.AcceptedPerSecond:F0}"),
                Invariant($"cpu_ms_per_event={(cpuAfter["machine"] - cpuBefore["machine"]) * 1000 / phaseEvents:F3}"),
                Invariant($"ceiling={ceiling.EventsPerSecond:F0}"),
                Invariant($"log_before={pipelineBefore.Stores["ingestion"].Events}"),
            };
            var ingested = Math.Max(1, stores.Stores["ingestion"].Events);
            lines.AddRange(stores.Stores.Select(st => Invariant($"mib_per_million_{st.Key}={st.Value.Bytes * 1e6 / ingested / 1048576.0:F0}")));
            await File.WriteAllLinesAsync(summary, lines, cancellationToken);
        }

        Console.WriteLine(_report);
        return loadResult.Failed == 0 ? 0 : 1;
    }

    /// <summary>Empties nothing: the caller dropped HealthScore's schema and restarted it; replays the log and times the catch-up.</summary>
    public static async Task<int> RebuildAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var postgres = arguments.Require("postgres");
        var expected = arguments.GetLong("expected", 0);
        using var http = new HttpClient { BaseAddress = new Uri(arguments.Require("ingestion")), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", arguments.Require("api-key"));
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("/v1/admin/replay", new { service = "healthscore" }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var sent = clock.Elapsed;
        Console.WriteLine($"replay answered {(int)response.StatusCode} after {sent.TotalSeconds:F1} s: {body}");
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        long applied = 0;
        while (applied < expected && clock.Elapsed < TimeSpan.FromMinutes(30))
        {
            await Task.Delay(250, cancellationToken);
            var ledger = await PipelineSnapshot.LedgerTableAsync(dataSource, "healthscore", cancellationToken);
            applied = ledger is null ? 0 : await CountAsync(dataSource, $"SELECT count(*) FROM {ledger}", cancellationToken);
        }

        var elapsed = clock.Elapsed;
        var facts = await CountAsync(dataSource, "SELECT count(*) FROM healthscore.mt_doc_customerfacts", cancellationToken);
        var text = Invariant(
            $"| HealthScore rebuilt from Ingestion's log (schema dropped, `POST /v1/admin/replay`) | {applied:N0} of {expected:N0} events applied, {facts:N0} customers' facts | {elapsed.TotalSeconds:F1} s | {applied / elapsed.TotalSeconds:N0} events/s | {1_000_000 / Math.Max(1, applied / elapsed.TotalSeconds):F0} s |");
        Console.WriteLine(text);
        await File.WriteAllTextAsync(arguments.Require("out"), text + "\n", cancellationToken);
        return applied >= expected ? 0 : 1;
    }

    private async Task<(Dictionary<string, TimeSpan> Drained, TimeSpan Elapsed)> DrainAfterAsync(Task load, Stopwatch clock, CancellationToken cancellationToken)
    {
        await load;
        var drained = await WaitAppliedAsync(TimeSpan.FromMinutes(30), clock, cancellationToken, probesExcluded: true);
        return (drained, drained.Count == 0 ? clock.Elapsed : drained.Values.Max());
    }

    /// <summary>The generator's envelopes as request bodies, serialised now (not while the load is measured), and counted as expected.</summary>
    private PreparedLoad Prepare(SyntheticCustomers generator, int batch, int concurrency) =>
        LoadSender.Prepare(Count(generator.Generate()), batch, concurrency);

    private Task<SendResult> Send(PreparedLoad load, double? rate, CancellationToken cancellationToken) =>
        LoadSender.SendAsync(_sender, load, rate, null, cancellationToken);

    private IEnumerable<EventEnvelope> Count(IEnumerable<EventEnvelope> envelopes)
    {
        foreach (var envelope in envelopes)
        {
            Expect(envelope.Type);
            yield return envelope;
        }
    }

    private void Expect(string type)
    {
        lock (_expected)
        {
            if (_healthScoreTypes.Contains(type))
            {
                _expected["healthscore"]++;
            }

            if (_lifecycleTypes.Contains(type))
            {
                _expected["lifecycle"]++;
            }

            if (_renewalTypes.Contains(type))
            {
                _expected["renewal"]++;
            }
        }
    }

    /// <summary>Every 250 ms until <paramref name="load"/> ends: a usage event for a new customer, then polls its health until it answers.</summary>
    private async Task<List<double>> ProbeWhileAsync(Task load, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        var probes = new List<Task>();
        while (!load.IsCompleted)
        {
            probes.Add(ProbeAsync(samples, cancellationToken));
            await Task.WhenAny(load, Task.Delay(250, cancellationToken));
        }

        await Task.WhenAll(probes);
        return samples;
    }

    private async Task ProbeAsync(List<double> samples, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _probeNumber);
        var customer = $"probe-{Environment.ProcessId}-{n}";
        Expect("usage.recorded");
        await _ingestion.PostEventsAsync(
            [new EventEnvelope($"{customer}-e1", "usage.recorded", customer, DateTimeOffset.UtcNow.AddSeconds(-1), new { feature = "probe.ping", userId = "u1", role = "operator" })],
            cancellationToken);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(20))
        {
            try
            {
                await _health.GetHealthAsync(customer, cancellationToken: cancellationToken);
                lock (samples)
                {
                    samples.Add(clock.Elapsed.TotalMilliseconds);
                }

                return;
            }
            catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                await Task.Delay(clock.Elapsed < TimeSpan.FromSeconds(2) ? 10 : 100, cancellationToken);
            }
        }
    }

    /// <summary>Polls the consumers' applied-event counts until each reaches what was sent; returns when each got there.</summary>
    private async Task<Dictionary<string, TimeSpan>> WaitAppliedAsync(TimeSpan timeout, Stopwatch? clock, CancellationToken cancellationToken, bool probesExcluded = false)
    {
        var done = new Dictionary<string, TimeSpan>();
        var waited = Stopwatch.StartNew();
        while (done.Count < _consumers.Length && waited.Elapsed < timeout)
        {
            var counts = await CountsAsync(cancellationToken);
            var probes = probesExcluded ? Volatile.Read(ref _probeNumber) : 0; // probes still in flight may not be applied yet
            foreach (var consumer in _consumers.Where(c => !done.ContainsKey(c) && counts[c] >= _expected[c] - (c == "healthscore" ? probes : 0)))
            {
                done[consumer] = (clock ?? waited).Elapsed;
            }

            if (done.Count < _consumers.Length)
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        if (done.Count < _consumers.Length)
        {
            var counts = await CountsAsync(cancellationToken);
            Say("TIMEOUT waiting for: " + string.Join(", ", _consumers.Where(c => !done.ContainsKey(c)).Select(c => $"{c} {counts[c]}/{_expected[c]}")));
        }

        return done;
    }

    private async Task<Dictionary<string, long>> CountsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>();
        await using var dataSource = NpgsqlDataSource.Create(_postgres);
        foreach (var consumer in _consumers)
        {
            var ledger = await PipelineSnapshot.LedgerTableAsync(dataSource, consumer, cancellationToken);
            counts[consumer] = ledger is null ? 0 : await CountAsync(dataSource, $"SELECT count(*) FROM {ledger}", cancellationToken);
        }

        return counts;
    }

    private async Task<PipelineSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(_postgres);
        return await PipelineSnapshot.TakeAsync(dataSource, _management, arguments.GetOrNull("vhost"), cancellationToken);
    }

    /// <summary>Whether the services keep their applied ids in the narrow table (else as Marten documents).</summary>
    private async Task<bool> LedgerIsTableAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(_postgres);
        var ledger = await PipelineSnapshot.LedgerTableAsync(dataSource, "healthscore", cancellationToken);
        return ledger?.EndsWith(".applied_events", StringComparison.Ordinal) == true;
    }

    private void WriteCeiling(
        PipelineCeiling ceiling, bool ledgerTable, double append, double appendWithLedger, double brokerPages, double e2eRate,
        PipelineSnapshot before, PipelineSnapshot after, long events, double machineCpuSeconds)
    {
        Line("### Stated ceiling (from this run's raw rates and the work each event needed in the throughput phase)");
        Line(Invariant($"Ledger in use: {(ledgerTable ? "narrow table `applied_events`" : "one Marten document per id `mt_doc_appliedevent`")}. Per ingested event ({events:N0} in the phase, probes included):"));
        Line("");
        Line("| store | events appended per event | ledger rows per event | bytes written per event |");
        Line("|---|---|---|---|");
        foreach (var (schema, (appended, ledgerRows)) in ceiling.PerEventStores)
        {
            var grown = after.Stores[schema].Bytes - before.Stores.GetValueOrDefault(schema, new StoreCount(0, 0, 0)).Bytes;
            Line(Invariant($"| {schema} | {appended:F3} | {ledgerRows:F3} | {grown / (double)events:N0} |"));
        }

        Line("");
        Line(Invariant($"Broker: {(after.Published - before.Published) / (double)events:F4} publishes and {(after.Delivered - before.Delivered) / (double)events:F4} deliveries per event ({after.Published - before.Published:N0} and {after.Delivered - before.Delivered:N0}; mean {events / (double)Math.Max(1, after.Published - before.Published):N0} events per published message)."));
        Line(Invariant($"PostgreSQL (this database): {(after.Commits - before.Commits) / (double)events:F3} transactions (`xact_commit`: every autocommitted query counts, the freshness probes' polls and this benchmark's own counts included), {(after.RowsInserted - before.RowsInserted) / (double)events:F2} rows inserted per event; WAL (whole cluster) {(after.WalBytes - before.WalBytes) / (double)events:N0} bytes per event{(after.Statements is { } s && before.Statements is { } b ? Invariant($"; {(s - b) / (double)events:F2} statements per event") : "; pg_stat_statements not installed")}."));
        Line(Invariant($"Machine CPU per event (all processes): {machineCpuSeconds * 1000 / events:F3} ms."));
        Line("");
        Line("| measure | value |");
        Line("|---|---|");
        Line(Invariant($"| machine time per event at the raw rates: appends Σ events/{append:N0} + ledger rows × (1/{appendWithLedger:N0} − 1/{append:N0}) + broker hops {ceiling.BrokerHopsPerEvent:F4}/{brokerPages:N0} | {ceiling.SecondsPerEvent * 1e6:F1} µs |"));
        Line(Invariant($"| **stated ceiling** (1 / that) | **{ceiling.EventsPerSecond:N0} events/s** |"));
        Line(Invariant($"| **end to end ÷ ceiling** | **{e2eRate / ceiling.EventsPerSecond:P0}** ({e2eRate:N0} events/s) |"));
        Line("");
    }

    private void WriteStores(PipelineSnapshot stores)
    {
        var ingested = Math.Max(1, stores.Stores["ingestion"].Events);
        Line("### Stores (after every phase; `pg_total_relation_size` over each service's schema, tables with their indexes and TOAST)");
        Line("| service | events in its log | applied ids in its ledger | size | bytes per million ingested events | bytes per million of its own events |");
        Line("|---|---|---|---|---|---|");
        foreach (var (schema, count) in stores.Stores)
        {
            Line(Invariant($"| {schema} | {count.Events:N0} | {count.LedgerRows:N0} | {count.Bytes / 1048576.0:N0} MiB | {count.Bytes * 1e6 / ingested / 1048576.0:N0} MiB | {(count.Events == 0 ? "–" : Invariant($"{count.Bytes * 1e6 / count.Events / 1048576.0:N0} MiB"))} |"));
        }

        Line("");
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(_postgres);
        return await CountAsync(dataSource, sql, cancellationToken);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(sql);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private async Task<(long Accepted, long Duplicates, long Rejected, double Seconds, double RssBeforeMb, double RssMaxMb)> BulkAsync(
        SyntheticCustomers generator, CancellationToken cancellationToken)
    {
        var pid = _pids.GetValueOrDefault("ingestion");
        var before = ProcStatusMb(pid, "VmRSS");
        var max = before;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                max = Math.Max(max, ProcStatusMb(pid, "VmRSS"));
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        using var content = new StreamingNdjsonContent(Count(generator.Generate()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var result = await _ingestion.PostBulkAsync(content, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        return (result.Accepted, result.Duplicates, result.Rejected, seconds, before, max);
    }

    /// <summary>Cumulative CPU seconds of each service process and of the machine.</summary>
    private Dictionary<string, double> CpuSnapshot()
    {
        var ticks = 100.0; // USER_HZ
        var snapshot = new Dictionary<string, double>();
        foreach (var (name, pid) in _pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                snapshot[name] = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticks;
            }
            catch (IOException)
            {
                // process gone
            }
        }

        snapshot["postgres (all backends, incl. other users')"] = SumCpu("postgres") / ticks;
        snapshot["rabbitmq (beam.smp)"] = SumCpu("beam.smp") / ticks;
        snapshot["this load generator"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        snapshot["machine"] = (cpu.Sum() - cpu[3] - cpu[4]) / ticks; // busy time of all cores
        snapshot["machine busy (all processes)"] = snapshot["machine"];
        return snapshot;
    }

    private static long SumCpu(string command)
    {
        long total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] != command)
                {
                    continue;
                }

                var fields = stat[(close + 2)..].Split(' ');
                total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }

        return total;
    }

    public static double ProcStatusMb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Per consumer, its commits of ingested pages so far and the pages and events in them (the services' own
    /// <c>/metrics</c>; consumers whose URL was not given are left out).
    /// </summary>
    private async Task<Dictionary<string, (double Commits, double Pages, double Events)>> GroupCommitsAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (double, double, double)>();
        foreach (var consumer in _consumers)
        {
            if (arguments.GetOrNull(consumer) is not { } url)
            {
                continue;
            }

            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            var lines = (await http.GetStringAsync("/metrics", cancellationToken)).Split('\n');
            double Sum(string series) => lines
                .Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) || l.StartsWith(series + " ", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            result[consumer] = (Sum("customersuccess_messaging_messages_per_commit_count"), Sum("customersuccess_messaging_messages_per_commit_sum"),
                Sum("customersuccess_messaging_events_per_commit_sum"));
        }

        return result;
    }

    private static Dictionary<string, int> ParsePids(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));

    private static string Percentiles(string label, List<double> samples)
    {
        if (samples.Count == 0)
        {
            return $"| {label} | 0 | – | – | – | – |";
        }

        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return Invariant($"| {label} | {sorted.Length} | {At(0.50):F0} ms | {At(0.95):F0} ms | {At(0.99):F0} ms | {sorted[^1]:F0} ms |");
    }

    private void Line(string text) => _report.AppendLine(text);

    private static void Say(string text) => Console.WriteLine($"[bench {DateTime.UtcNow:HH:mm:ss}] {text}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
