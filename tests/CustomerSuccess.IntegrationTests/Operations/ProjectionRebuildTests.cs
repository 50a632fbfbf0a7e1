using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Npgsql;
using RabbitMQ.Client;

namespace CustomerSuccess.IntegrationTests.Operations;

/// <summary>
/// The operator command <c>dotnet CustomerSuccess.&lt;Service&gt;.dll projections rebuild</c>, run as an operator runs
/// it (its own process, the service's settings in environment variables, the service stopped), gives back exactly the
/// read models the events produced and publishes nothing. Its own platform: the services are stopped here.
/// </summary>
public sealed class ProjectionRebuildTests(Platform platform) : IClassFixture<Platform>
{
    /// <summary>The projection documents of each service, by table.</summary>
    private static readonly Dictionary<string, string[]> ProjectionTables = new()
    {
        ["healthscore"] = ["mt_doc_customerfacts", "mt_doc_customerhealth"],
        ["lifecycle"] = ["mt_doc_customerlifecycle"],
        ["renewal"] = ["mt_doc_customerrenewal"],
    };

    [Fact]
    public async Task Rebuilding_after_documents_are_lost_or_corrupted_gives_exactly_the_documents_before_and_publishes_nothing()
    {
        var customers = Enumerable.Range(0, 6).Select(_ => Envelopes.NewCustomerId("rebuild")).ToList();
        using (var ingestion = Platform.Client(platform.Ingestion))
        {
            var response = await ingestion.PostAsJsonAsync("/v1/events", customers.SelectMany(History).ToArray());
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        foreach (var customer in customers)
        {
            await ReadableAsync(Platform.Client(platform.HealthScore, Platform.ReadKey), $"/v1/customers/{customer}/health");
            await ReadableAsync(Platform.Client(platform.Lifecycle, Platform.ReadKey), $"/v1/customers/{customer}/lifecycle");
            await ReadableAsync(Platform.Client(platform.Renewal, Platform.ReadKey), $"/v1/customers/{customer}/renewal");
        }

        // As the runbook says: the services are stopped. What their stores hold is then fixed, and any message a
        // rebuild published would stay in the consumers' queues.
        await platform.Ingestion.DisposeAsync();
        await platform.HealthScore.DisposeAsync();
        await platform.Lifecycle.DisposeAsync();
        await platform.Renewal.DisposeAsync();

        var before = await SnapshotAsync();
        foreach (var (service, tables) in ProjectionTables)
        {
            foreach (var table in tables)
            {
                Assert.True(before.Documents[$"{service}.{table}"].Count >= customers.Count, $"{service}.{table} holds every customer");
            }
        }

        await CorruptAsync();
        Assert.NotEqual(Flatten(before.Documents), Flatten((await SnapshotAsync()).Documents));

        foreach (var service in ProjectionTables.Keys)
        {
            var (exitCode, output) = await RunRebuildAsync(service);
            Assert.True(exitCode == 0, $"{service}: exit code {exitCode}\n{output}");
            Assert.Contains("rebuilt projection", output, StringComparison.Ordinal);
        }

        var (ingestionExit, ingestionOutput) = await RunRebuildAsync("ingestion");
        Assert.True(ingestionExit == 0, ingestionOutput);
        Assert.Contains("no projections to rebuild", ingestionOutput, StringComparison.Ordinal);
        AssertSame(before, await SnapshotAsync());

        // Small pages and flushes, so a replay spans many of both: the same documents.
        await CorruptAsync();
        var (smallExit, smallOutput) = await RunRebuildAsync("healthscore", new() { ["EventStore__Rebuild__BatchSize"] = "100", ["EventStore__Rebuild__FlushThreshold"] = "2" });
        Assert.True(smallExit == 0, smallOutput);
        var afterSmall = await SnapshotAsync();
        foreach (var table in ProjectionTables["healthscore"])
        {
            Assert.Equal(before.Documents[$"healthscore.{table}"], afterSmall.Documents[$"healthscore.{table}"]);
        }
    }

    private static void AssertSame(Snapshot before, Snapshot after)
    {
        foreach (var (table, documents) in before.Documents)
        {
            Assert.Equal(documents, after.Documents[table]);
        }

        Assert.Equal(before.EventCounts, after.EventCounts);
        Assert.Equal(before.SubscriptionPositions, after.SubscriptionPositions);
        Assert.NotEmpty(before.SubscriptionPositions);
        Assert.Equal(before.QueueDepths, after.QueueDepths);
    }

    private static IEnumerable<object> History(string customerId)
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var n = 0;
        object Envelope(string type, DateTimeOffset at, object data) => new { id = $"{customerId}-{++n:D3}", type, customerId, occurredAt = at, data };

        yield return Envelope("customer.profiled", today.AddDays(-60), new { name = customerId, industry = "retail", keyAccount = n % 2 == 0 });
        yield return Envelope("contract.signed", today.AddDays(-59), new
        {
            contractId = $"{customerId}-c1", arr = 24000, currency = "EUR", seats = 20,
            startsOn = today.AddDays(-59).ToString("yyyy-MM-dd"), endsOn = today.AddDays(306).ToString("yyyy-MM-dd"),
        });
        yield return Envelope("seats.reported", today.AddDays(-50), new { paid = 20, free = 2, assigned = 15 });
        yield return Envelope("milestone.reached", today.AddDays(-45), new { milestone = "handover_completed" });
        for (var day = 40; day >= 1; day -= 3)
        {
            yield return Envelope("usage.recorded", today.AddDays(-day).AddHours(10), new { feature = "report.run", userId = $"u-{day % 4}", role = "operator", quantity = 3 });
        }

        yield return Envelope("ticket.opened", today.AddDays(-20), new { ticketId = $"{customerId}-t1", category = "incident", priority = "high" });
        yield return Envelope("ticket.resolved", today.AddDays(-18), new { ticketId = $"{customerId}-t1" });
        yield return Envelope("survey.answered", today.AddDays(-10), new { survey = "nps", score = 8, userId = "u-1" });
        yield return Envelope("invoice.issued", today.AddDays(-30), new { invoiceId = $"{customerId}-i1", amount = 2000, dueOn = today.AddDays(-16).ToString("yyyy-MM-dd") });
        yield return Envelope("invoice.paid", today.AddDays(-17), new { invoiceId = $"{customerId}-i1", paidOn = today.AddDays(-17).ToString("yyyy-MM-dd") });
        yield return Envelope("contract.amended", today.AddDays(-5), new { contractId = $"{customerId}-c1", arr = 30000, seats = 25, effectiveOn = today.AddDays(-5).ToString("yyyy-MM-dd") });
    }

    private static async Task ReadableAsync(HttpClient client, string path)
    {
        using (client)
        {
            await Eventually.ReachesAsync(() => client.GetAsync(path), r => r.StatusCode == HttpStatusCode.OK, path);
        }
    }

    private sealed record Snapshot(
        Dictionary<string, List<string>> Documents,
        Dictionary<string, long> EventCounts,
        Dictionary<string, long> SubscriptionPositions,
        Dictionary<string, uint> QueueDepths);

    private static List<string> Flatten(Dictionary<string, List<string>> documents) =>
        documents.OrderBy(d => d.Key, StringComparer.Ordinal).SelectMany(d => d.Value.Select(v => $"{d.Key}:{v}")).ToList();

    private async Task<Snapshot> SnapshotAsync()
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
        await connection.OpenAsync();
        var documents = new Dictionary<string, List<string>>();
        var events = new Dictionary<string, long>();
        var positions = new Dictionary<string, long>();
        foreach (var (service, tables) in ProjectionTables)
        {
            var schema = platform.Schema(service);
            foreach (var table in tables)
            {
                var rows = new List<string>();
                await using var select = new NpgsqlCommand($"SELECT id, data::text FROM {schema}.{table} ORDER BY id", connection);
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add($"{reader.GetString(0)} {reader.GetString(1)}");
                }

                documents[$"{service}.{table}"] = rows;
            }

            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema}.mt_events", connection);
            events[service] = (long)(await count.ExecuteScalarAsync())!;

            // The relays' (subscriptions') positions, not the daemon's own high-water rows: a replayed subscription would move or reset them.
            await using var progression = new NpgsqlCommand(
                $"SELECT name, last_seq_id FROM {schema}.mt_event_progression WHERE name NOT LIKE 'HighWater%' AND name NOT LIKE 'Customer%'", connection);
            await using var progress = await progression.ExecuteReaderAsync();
            while (await progress.ReadAsync())
            {
                positions[$"{service}.{progress.GetString(0)}"] = progress.GetInt64(1);
            }
        }

        return new Snapshot(documents, events, positions, await QueueDepthsAsync());
    }

    /// <summary>Exact depths (a passive declare per queue; the management API's figures lag by seconds).</summary>
    private async Task<Dictionary<string, uint>> QueueDepthsAsync()
    {
        using var management = platform.ManagementClient();
        var queues = await management.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(platform.VirtualHost)}?columns=name");
        var factory = new ConnectionFactory { Uri = platform.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        var depths = new Dictionary<string, uint>();
        foreach (var queue in queues.EnumerateArray().Select(q => q.GetProperty("name").GetString()!))
        {
            await using var channel = await connection.CreateChannelAsync();
            depths[queue] = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }

        Assert.Contains(depths.Keys, q => q.StartsWith("lifecycle", StringComparison.Ordinal));
        return depths;
    }

    /// <summary>Every other document deleted, the rest overwritten with a stale or empty body.</summary>
    private async Task CorruptAsync()
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
        await connection.OpenAsync();
        foreach (var (service, tables) in ProjectionTables)
        {
            foreach (var table in tables)
            {
                var qualified = $"{platform.Schema(service)}.{table}";
                await using var corrupt = new NpgsqlCommand(
                    $"""
                     WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM {qualified})
                     DELETE FROM {qualified} WHERE id IN (SELECT id FROM numbered WHERE n % 2 = 0);
                     UPDATE {qualified} SET data = jsonb_build_object('Id', id);
                     """,
                    connection);
                await corrupt.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary><c>dotnet services/&lt;Svc&gt;/CustomerSuccess.&lt;Svc&gt;/bin/&lt;Config&gt;/net10.0/CustomerSuccess.&lt;Svc&gt;.dll projections rebuild</c>.</summary>
    private async Task<(int ExitCode, string Output)> RunRebuildAsync(string service, Dictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = platform.Servers.Postgres,
            ["EventStore__Schema"] = platform.Schema(service),
            ["EventStore__DaemonMode"] = "Solo",
            ["RabbitMq__Uri"] = platform.RabbitMqUri.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? [])
        {
            environment[key] = value;
        }

        return await ServiceProcess.RunAsync(service, ["projections", "rebuild"], environment, TimeSpan.FromMinutes(3));
    }
}
