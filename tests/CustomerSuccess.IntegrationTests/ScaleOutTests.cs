using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Publishing;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.Lifecycle.Publishing;
using CustomerSuccess.Renewal.Publishing;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerSuccess.IntegrationTests;

/// <summary>
/// Two instances of each consuming service against one broker and one database give exactly the read models and the
/// events one instance gives. The same pages go to a one-instance and a two-instance deployment (each its own schemas
/// and virtual host), among them pages that touch the same customers at once, so both instances hold pages of one
/// customer in flight and the loser of each race commits after a version conflict and a retry.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const int HotCustomers = 4;
    private const int ColdCustomers = 40;
    private const int ConcurrentPages = 12;

    private static readonly string[] Relays = [HealthChangeRelay.RelayName, LifecycleChangeRelay.RelayName, RenewalRelay.RelayName];

    [Fact]
    public async Task Two_instances_of_each_consuming_service_give_the_read_models_and_events_of_one()
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var one = new ScaledPlatform(instances: 1);
        var two = new ScaledPlatform(instances: 2);
        try
        {
            await Task.WhenAll(one.StartAsync(), two.StartAsync());
            await Task.WhenAll(one.AllInstancesConsumingAsync(), two.AllInstancesConsumingAsync());

            // First every customer's history, one page per group of customers; then, once that has settled everywhere,
            // pages that all touch the hot customers, published at once: two instances take them in parallel.
            var history = HistoryPages(receivedAt);
            await Task.WhenAll(one.PublishPagesAsync(history), two.PublishPagesAsync(history));
            await Task.WhenAll(one.QuietAsync(TimeSpan.FromMinutes(3)), two.QuietAsync(TimeSpan.FromMinutes(3)));
            var concurrent = ConcurrentPagesOf(receivedAt);
            await Task.WhenAll(one.PublishPagesAsync(concurrent), two.PublishPagesAsync(concurrent));
            var quiet = await Task.WhenAll(one.QuietAsync(TimeSpan.FromMinutes(3)), two.QuietAsync(TimeSpan.FromMinutes(3)));

            Assert.All(quiet, q => Assert.Equal(0, q.DeadLetters));
            foreach (var service in ScaledPlatform.ConsumingServices)
            {
                var counters = two.CountersOf(service);
                // Both instances took part (the broker hands a queue's messages to its consumers in turn), and pages of the
                // same customers were in flight on both at once.
                Assert.All(counters, c => Assert.True(c.Consumed > 0, $"an instance of {service} consumed no page"));
                var overlapping = counters[0].Pages.Sum(a => counters[1].Pages.Count(b => a.Overlaps(b)));
                output.WriteLine($"{service}: pages consumed per instance {string.Join(" / ", counters.Select(c => c.Consumed))}; pairs of pages sharing a customer in flight on both instances at once: {overlapping}");
                Assert.True(overlapping > 0, $"no two pages of one customer were in flight on both instances of {service} at once");
            }

            // HotCold: each relay runs on exactly one instance; the other stands by.
            foreach (var (service, relay) in ScaledPlatform.ConsumingServices.Zip(Relays))
            {
                var running = await Eventually.ReachesAsync(() => Task.FromResult(two.InstancesRunning(service, relay)), r => r.Count == 1, $"{relay} running on one instance");
                output.WriteLine($"{relay}: running on instance {running.Single()} of 2");
            }

            await using var connection = new NpgsqlConnection(one.Servers.Postgres);
            await connection.OpenAsync();
            await CreateStripFunctionAsync(connection);
            var differences = new List<string>();
            foreach (var service in ScaledPlatform.ConsumingServices)
            {
                await AssertIngestedOnceAsync(connection, one, two, service);
                await AssertSameEmittedEventsAsync(connection, one, two, service);
                differences.AddRange(await ReadModelDifferencesAsync(connection, one, two, service, receivedAt));
            }

            Assert.True(differences.Count == 0, string.Join("\n", differences));
        }
        finally
        {
            await Task.WhenAll(one.DisposeAsync(), two.DisposeAsync());
        }
    }

    /// <summary>Every ingested event once in the service's streams, the same ids in both deployments.</summary>
    private async Task AssertIngestedOnceAsync(NpgsqlConnection connection, ScaledPlatform one, ScaledPlatform two, string service)
    {
        var sql = """
            select data->>'EventId', count(*) from {0}.mt_events
            where mt_dotnet_type like 'CustomerSuccess.Contracts.Events.%' group by 1
            """;
        var inOne = await RowsAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, one.Schema(service)));
        var inTwo = await RowsAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, two.Schema(service)));
        Assert.NotEmpty(inOne);
        Assert.DoesNotContain(inTwo, r => r[1] != "1");
        Assert.DoesNotContain(inOne, r => r[1] != "1");
        Assert.Equal(inOne.Select(r => r[0]).Order(), inTwo.Select(r => r[0]).Order());
        output.WriteLine($"{service}: {inTwo.Count} ingested events, each once in both deployments");
    }

    /// <summary>The conclusion event types, and what each concludes apart from clock readings (jsonb of its data).</summary>
    private static readonly Dictionary<string, string> Conclusions = new(StringComparer.Ordinal)
    {
        ["HealthEvaluated"] = "data - 'EvaluatedAt'",
        // What Renewal compares before it appends an assessment: level, contract, end date, each reason's code and since.
        ["RiskAssessed"] = "jsonb_build_array(data->'Level', data->'ContractId', data->'EndsOn', (select jsonb_agg(jsonb_build_array(r->'Code', r->'Since')) from jsonb_array_elements(data->'Reasons') r))",
        // Lifecycle's and Renewal's records of HealthScore's published evaluations: one per evaluation HealthScore
        // published, so as many as above (each carries the evaluation's own id: two in a row alike are one recorded twice).
        ["HealthObserved"] = "data",
        ["HealthRecorded"] = "data",
    };

    /// <summary>
    /// The events the service appended itself (evaluations, recorded signals, changes): the same count of each type per
    /// customer as with one instance, so no change was appended twice by two instances racing each other.
    /// </summary>
    private async Task AssertSameEmittedEventsAsync(NpgsqlConnection connection, ScaledPlatform one, ScaledPlatform two, string service)
    {
        // A conclusion (HealthScore's evaluation, Renewal's risk assessment) is appended only when it changed, so how many
        // a service appends depends on how its pages and the other services' changes (two queues) interleave, with one
        // instance as with two: conclusions are compared by where they end (the read models below), and checked here
        // never to be doubled (two in a row that conclude the same, clock readings aside, would be one appended twice).
        var sql = $$"""
            select stream_id, mt_dotnet_type, count(*) from {0}.mt_events
            where mt_dotnet_type not like 'CustomerSuccess.Contracts.Events.%' and stream_id <> 'mt_tombstone'
              and {{string.Join(" and ", Conclusions.Keys.Select(type => $"mt_dotnet_type not like '%.{type},%'"))}} group by 1, 2 order by 1, 2
            """;
        foreach (var (type, conclusion) in Conclusions)
        {
            var doubled = await RowsAsync(connection, $"""
                select stream_id, version from (
                    select stream_id, version, {conclusion} as result,
                           lag({conclusion}) over (partition by stream_id order by version) as previous
                    from {two.Schema(service)}.mt_events where mt_dotnet_type like '%.{type},%') e
                where result = previous
                """);
            Assert.True(doubled.Count == 0, $"{service}: {type} appended twice: {string.Join(", ", doubled.Select(r => $"{r[0]} v{r[1]}"))}");
        }

        var inOne = await RowsAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, one.Schema(service)));
        var inTwo = await RowsAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, two.Schema(service)));
        var describe = (List<string[]> rows) => rows.Select(r => $"{r[0]} {r[1].Split(',')[0][(r[1].Split(',')[0].LastIndexOf('.') + 1)..]} ×{r[2]}").ToList();
        Assert.Equal(describe(inOne), describe(inTwo));
        var total = inTwo.Sum(r => long.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture));
        // Marten fills the sequence numbers of an append that failed (here: the loser of a version conflict) with
        // tombstone events in a stream of their own: bookkeeping of the race, not something the service emitted.
        var tombstones = await RowsAsync(connection, $"select count(*) from {two.Schema(service)}.mt_events where stream_id = 'mt_tombstone'");
        output.WriteLine($"{service}: {total} events of its own in {inTwo.Select(r => r[0]).Distinct().Count()} streams, the same count of each type per customer (two instances: {tombstones[0][0]} tombstones of failed appends)");
    }

    /// <summary>Every read-model document (mt_doc_* but the applied-id ledger) equal as jsonb, but for clock readings and generated ids.</summary>
    private async Task<List<string>> ReadModelDifferencesAsync(NpgsqlConnection connection, ScaledPlatform one, ScaledPlatform two, string service, DateTimeOffset receivedAt)
    {
        var tables = (await RowsAsync(connection, $"""
            select table_name from information_schema.tables
            where table_schema = '{one.Schema(service)}' and table_name like 'mt_doc_%' and table_name <> 'mt_doc_appliedevent' order by 1
            """)).Select(r => r[0]).ToList();
        Assert.NotEmpty(tables);
        var start = $"'{receivedAt:O}'::timestamptz";
        long documents = 0;
        var differences = new List<string>();
        foreach (var table in tables)
        {
            var unordered = table == "mt_doc_lifecyclehistory" ? "true" : "false";
            var differing = await RowsAsync(connection, $"""
                select coalesce(a.id::text, b.id::text), pg_temp.strip(a.data, {start}, {unordered})::text, pg_temp.strip(b.data, {start}, {unordered})::text
                from {one.Schema(service)}.{table} a full join {two.Schema(service)}.{table} b on a.id = b.id
                where pg_temp.strip(a.data, {start}, {unordered}) is distinct from pg_temp.strip(b.data, {start}, {unordered})
                limit 3
                """);
            if (differing.Count > 0)
            {
                output.WriteLine($"{service}.{table} differs, e.g. {differing[0][0]}:\n  one: {differing[0][1]}\n  two: {differing[0][2]}");
                differences.Add($"{service}.{table} differs between one and two instances:\n"
                    + string.Join("\n", differing.Select(r => $"{r[0]}\n  one: {r[1]}\n  two: {r[2]}")));
            }

            documents += long.Parse((await RowsAsync(connection, $"select count(*) from {two.Schema(service)}.{table}"))[0][0], System.Globalization.CultureInfo.InvariantCulture);
        }

        output.WriteLine($"{service}: {documents} documents in {tables.Count} tables ({string.Join(", ", tables)}), {differences.Count} tables differing");
        return differences;
    }

    /// <summary>
    /// <c>pg_temp.strip(document, start)</c>: a copy of a jsonb document without the members that legitimately differ
    /// between two runs of the same events, at any depth — and only those:
    /// <list type="bullet">
    /// <item>instants after <c>start</c> (the moment the test made its events): no event occurred then, so such a value
    /// is a service's clock reading — when it evaluated a score (<c>EvaluatedAt</c>), calibrated a tier (<c>AsOf</c>),
    /// assessed a risk (<c>AssessedAt</c>, and a reason's or level's <c>Since</c> taken from that evaluation) — and each
    /// run evaluates at its own moments;</item>
    /// <item>GUIDs: the ids Marten gives the events a service appends itself (an evaluation, a stage or tier change), new
    /// in every run, which other services keep as the ids of the changes they received. The ingested events' ids, chosen
    /// by the test and no GUIDs, stay in the comparison.</item>
    /// <item>Of Renewal's latest risk assessment (<c>Risk</c>) only what Renewal compares before it appends one (level,
    /// contract, end date, each reason's code and since) is compared: the rest (the health and the reasons' texts with
    /// their figures) is a snapshot of the moment of the last change, which depends on the same interleaving as below.</item>
    /// <item>What follows from which evaluations HealthScore published: <c>LastSignificant</c> of its health and whether
    /// the latest evaluation was <c>Significant</c> (significance is measured from the last significant one, so it depends
    /// on where the evaluations fell, as their number does), and Lifecycle's list of the health readings it received
    /// (<c>Health</c> in its history). The latest evaluation itself, and every stage and tier, are compared.</item>
    /// <item><c>PreviousLevel</c> of Renewal's risk: the level before the customer's last assessment. Renewal assesses on
    /// every ingested page and every health change, which arrive on two queues whose interleaving is not fixed even with
    /// one instance, so the level in between may differ; the level itself, its reasons and the number of assessments
    /// are compared.</item>
    /// </list>
    /// With <c>unordered</c> the elements of every array are compared as a set: for Lifecycle's history, which lists a
    /// customer's facts in the order they were appended to its stream — the order two instances happened to commit in,
    /// which nothing reads (its rules order the facts by when they occurred).
    /// </summary>
    private static async Task CreateStripFunctionAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            create function pg_temp.clock_or_id(v jsonb, start timestamptz) returns boolean language sql stable as $$
              select case
                when jsonb_typeof(v) <> 'string' then false
                when v #>> '{}' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then true
                when v #>> '{}' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}' then (v #>> '{}')::timestamptz > start
                else false end
            $$;
            create function pg_temp.risk_conclusion(r jsonb) returns jsonb language sql immutable as $$
              select jsonb_build_object('Level', r->'Level', 'ContractId', r->'ContractId', 'EndsOn', r->'EndsOn',
                'Reasons', (select coalesce(jsonb_agg(jsonb_build_object('Code', x->'Code', 'Since', x->'Since') order by n), '[]'::jsonb)
                            from jsonb_array_elements(r->'Reasons') with ordinality as a(x, n)))
            $$;
            create function pg_temp.strip(j jsonb, start timestamptz, unordered boolean) returns jsonb language sql stable as $$
              select case jsonb_typeof(j)
                when 'object' then (select coalesce(jsonb_object_agg(k, pg_temp.strip(
                                        case when k = 'Risk' and jsonb_typeof(v) = 'object' then pg_temp.risk_conclusion(v) else v end,
                                        start, unordered)), '{}'::jsonb)
                                    from jsonb_each(j) as e(k, v) where not pg_temp.clock_or_id(v, start) and k not in ('PreviousLevel', 'LastSignificant', 'Significant')
                                      and not (unordered and k = 'Health'))
                when 'array' then (select coalesce(jsonb_agg(pg_temp.strip(v, start, unordered)
                                                             order by case when unordered then pg_temp.strip(v, start, unordered)::text end, n), '[]'::jsonb)
                                   from jsonb_array_elements(j) with ordinality as a(v, n))
                else j end
            $$
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string[]>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToList().ToArray());
        }

        return rows;
    }

    private static string Hot(int i) => $"scale-hot-{i}";

    private static string Cold(int i) => $"scale-cold-{i}";

    /// <summary>
    /// Each customer's history: profile, a contract (some due within the renewal window), milestones, seats, usage over
    /// the last weeks, a ticket, a survey, invoices (some paid late); one page per group of customers.
    /// </summary>
    private static List<IReadOnlyList<CustomerEvent>> HistoryPages(DateTimeOffset receivedAt)
    {
        var today = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        var customers = Enumerable.Range(0, HotCustomers).Select(Hot).Concat(Enumerable.Range(0, ColdCustomers).Select(Cold)).ToList();
        var pages = new List<IReadOnlyList<CustomerEvent>>();
        foreach (var group in customers.Select((id, i) => (id, i)).Chunk(8))
        {
            var page = new List<CustomerEvent>();
            foreach (var (id, i) in group)
            {
                var started = receivedAt.AddDays(-200 - i);
                T E<T>(T e) where T : CustomerEvent => e;
                string Id(string what) => $"{id}.{what}";
                page.Add(E(new CustomerProfiled { EventId = Id("profile"), CustomerId = id, OccurredAt = started, ReceivedAt = receivedAt, Name = $"Scale {id}", Owner = "csm@example.com", KeyAccount = i % 5 == 0 }));
                page.Add(E(new ContractSigned
                {
                    EventId = Id("contract"), CustomerId = id, OccurredAt = started, ReceivedAt = receivedAt, ContractId = Id("c1"),
                    Arr = 12_000 + (100 * i), Currency = i % 7 == 0 ? "USD" : "EUR", Seats = 40,
                    StartsOn = DateOnly.FromDateTime(started.UtcDateTime), EndsOn = today.AddDays(i % 3 == 0 ? 45 : 200),
                }));
                page.Add(E(new MilestoneReached { EventId = Id("handover"), CustomerId = id, OccurredAt = started.AddDays(2), ReceivedAt = receivedAt, Milestone = Milestone.HandoverCompleted }));
                page.Add(E(new MilestoneReached { EventId = Id("opened"), CustomerId = id, OccurredAt = started.AddDays(5), ReceivedAt = receivedAt, Milestone = Milestone.AccountOpened }));
                if (i % 2 == 0)
                {
                    page.Add(E(new MilestoneReached { EventId = Id("first-value"), CustomerId = id, OccurredAt = started.AddDays(40), ReceivedAt = receivedAt, Milestone = Milestone.FirstValue }));
                }

                page.Add(E(new SeatsReported { EventId = Id("seats"), CustomerId = id, OccurredAt = receivedAt.AddDays(-10), ReceivedAt = receivedAt, Paid = 40, Free = 5, Assigned = 20 + i % 20 }));
                for (var d = 1; d <= 20; d += 1 + (i % 3))
                {
                    page.Add(E(new UsageRecorded
                    {
                        EventId = Id($"usage-{d}"), CustomerId = id, OccurredAt = receivedAt.AddDays(-d), ReceivedAt = receivedAt,
                        Feature = d % 4 == 0 ? "report.viewed" : "message.sent", UserId = $"u{d % (2 + (i % 5))}", Role = d % 3 == 0 ? UserRole.Executive : UserRole.Operator,
                    }));
                }

                page.Add(E(new TicketOpened { EventId = Id("ticket"), CustomerId = id, OccurredAt = receivedAt.AddDays(-6), ReceivedAt = receivedAt, TicketId = Id("t1"), Category = i % 4 == 0 ? TicketCategory.Incident : TicketCategory.Operational, Priority = TicketPriority.High }));
                page.Add(E(new TicketResponded { EventId = Id("ticket-responded"), CustomerId = id, OccurredAt = receivedAt.AddDays(-6).AddHours(1 + (i % 30)), ReceivedAt = receivedAt, TicketId = Id("t1") }));
                page.Add(E(new SurveyAnswered { EventId = Id("nps"), CustomerId = id, OccurredAt = receivedAt.AddDays(-4), ReceivedAt = receivedAt, Survey = SurveyKind.Nps, Score = i % 11, UserId = "u1" }));
                page.Add(E(new InvoiceIssued { EventId = Id("invoice"), CustomerId = id, OccurredAt = started.AddDays(1), ReceivedAt = receivedAt, InvoiceId = Id("i1"), Amount = 12_000, DueOn = DateOnly.FromDateTime(started.UtcDateTime).AddDays(30) }));
                page.Add(E(new InvoicePaid { EventId = Id("invoice-paid"), CustomerId = id, OccurredAt = started.AddDays(i % 4 == 0 ? 50 : 20), ReceivedAt = receivedAt, InvoiceId = Id("i1"), PaidOn = DateOnly.FromDateTime(started.UtcDateTime).AddDays(i % 4 == 0 ? 50 : 20) }));
                if (i % 6 == 1)
                {
                    page.Add(E(new StakeholderChanged { EventId = Id("champion-left"), CustomerId = id, OccurredAt = receivedAt.AddDays(-3), ReceivedAt = receivedAt, Role = StakeholderRole.Champion, Change = StakeholderChange.Left }));
                }
            }

            pages.Add(page);
        }

        return pages;
    }

    /// <summary>
    /// Pages that each touch every hot customer (and a few cold ones of their own). A hot customer gets the same kind of
    /// fact from every page — one more user's use on the same day, the same seat report, one more invoice of the same
    /// amount and due date — so what a customer's state is after k of these pages does not depend on which k: the
    /// evaluations and changes each service appends are the same in any order the instances happen to apply them.
    /// </summary>
    private static List<IReadOnlyList<CustomerEvent>> ConcurrentPagesOf(DateTimeOffset receivedAt)
    {
        var today = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        var day = new DateTimeOffset(receivedAt.UtcDateTime.Date, TimeSpan.Zero).AddHours(-12);
        var pages = new List<IReadOnlyList<CustomerEvent>>();
        for (var p = 0; p < ConcurrentPages; p++)
        {
            var page = new List<CustomerEvent>();
            for (var h = 0; h < HotCustomers; h++)
            {
                var id = Hot(h);
                page.Add(new UsageRecorded { EventId = $"{id}.burst-{p}.usage", CustomerId = id, OccurredAt = day, ReceivedAt = receivedAt, Feature = "message.sent", UserId = $"burst-user-{p}", Role = UserRole.Operator });
                page.Add(new SeatsReported { EventId = $"{id}.burst-{p}.seats", CustomerId = id, OccurredAt = day, ReceivedAt = receivedAt, Paid = 40, Free = 5, Assigned = 35 });
                page.Add(new InvoiceIssued { EventId = $"{id}.burst-{p}.invoice", CustomerId = id, OccurredAt = day, ReceivedAt = receivedAt, InvoiceId = $"{id}.burst-{p}", Amount = 500, DueOn = today.AddDays(30) });
            }

            for (var c = p * 3; c < (p * 3) + 3 && c < ColdCustomers; c++)
            {
                var id = Cold(c);
                page.Add(new UsageRecorded { EventId = $"{id}.burst.usage", CustomerId = id, OccurredAt = day, ReceivedAt = receivedAt, Feature = "export.created", UserId = "u9", Role = UserRole.Finance });
                page.Add(new SurveyAnswered { EventId = $"{id}.burst.csat", CustomerId = id, OccurredAt = day, ReceivedAt = receivedAt, Survey = SurveyKind.Csat, Score = 1 + (c % 5) });
            }

            pages.Add(page);
        }

        return pages;
    }
}
