using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Ingestion;

/// <summary>
/// The platform with Ingestion reaching RabbitMQ and PostgreSQL through proxies the tests can cut:
/// a broker or database outage as Ingestion sees it, while the shared servers keep serving other fixtures.
/// </summary>
public sealed class IngestionFaultsPlatform : Platform
{
    public TcpProxy Broker { get; private set; } = null!;

    public TcpProxy EventLog { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Broker.DisposeAsync();
        await EventLog.DisposeAsync();
    }

    protected override IDictionary<string, string> Settings(string service)
    {
        var settings = base.Settings(service);
        if (service != "ingestion")
        {
            return settings;
        }

        Broker ??= new TcpProxy(Servers.RabbitMq.Host, Servers.RabbitMq.Port);
        var postgres = new NpgsqlConnectionStringBuilder(Servers.Postgres);
        EventLog ??= new TcpProxy(postgres.Host!, postgres.Port);
        settings["RabbitMq:Uri"] = new UriBuilder(settings["RabbitMq:Uri"]) { Host = "127.0.0.1", Port = Broker.Port }.Uri.ToString();
        settings["RabbitMq:PublishTimeout"] = "00:00:02";
        postgres.Host = "127.0.0.1";
        postgres.Port = EventLog.Port;
        postgres.Timeout = 3;
        postgres.CommandTimeout = 5;
        settings["ConnectionStrings:Postgres"] = postgres.ConnectionString;
        return settings;
    }
}

public sealed class IngestionFaultTests(IngestionFaultsPlatform platform) : IClassFixture<IngestionFaultsPlatform>
{
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Every_event_accepted_while_the_broker_is_down_is_applied_exactly_once_when_it_is_back()
    {
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var before = await PostBatchesAsync(client, "before", batches: 1);
        await Eventually.ReachesAsync(() => AppliedAsync(before), applied => applied, "the events posted before the outage to be applied");

        var during = new List<Posted>();
        try
        {
            platform.Broker.Cut();
            during.AddRange(await PostBatchesAsync(client, "during", batches: 5));
            // Ingestion keeps accepting while the broker is unreachable: its log is the outbox.
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            platform.Broker.Restore();
        }

        var after = await PostBatchesAsync(client, "after", batches: 1);
        var all = before.Concat(during).Concat(after).ToList();
        await Eventually.ReachesAsync(() => AppliedAsync(all), applied => applied, "every accepted event to be applied after the broker is back", RecoveryDeadline);

        foreach (var service in new[] { "healthscore", "lifecycle", "renewal" })
        {
            var counts = await StoredEvents.CountByIdAsync(platform, service, all.Where(p => p.Services.Contains(service)).Select(p => p.Id).ToList());
            Assert.All(counts, pair => Assert.True(pair.Value == 1, $"{service} applied {pair.Key} {pair.Value} times"));
        }
    }

    [Fact]
    public async Task While_the_event_log_is_unreachable_nothing_is_accepted_and_a_retry_with_the_same_ids_succeeds_later()
    {
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var customerId = Envelopes.NewCustomerId("outage");
        var batch = new object[] { Envelopes.Usage(customerId, $"{customerId}-1"), Envelopes.ContractSigned(customerId, $"{customerId}-2") };

        try
        {
            platform.EventLog.Cut();
            var refused = await client.PostAsJsonAsync("/v1/events", batch);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
        finally
        {
            platform.EventLog.Restore();
        }

        var retried = await Eventually.ReachesAsync(
            () => client.PostAsJsonAsync("/v1/events", batch),
            response => response.StatusCode == HttpStatusCode.Accepted,
            "the event log to accept again",
            RecoveryDeadline);
        Assert.Equal(new IngestionResult(2, 0), await retried.Content.ReadFromJsonAsync<IngestionResult>());

        Posted[] posted = [new($"{customerId}-1", ["healthscore"]), new($"{customerId}-2", ["healthscore", "lifecycle", "renewal"])];
        await Eventually.ReachesAsync(() => AppliedAsync(posted), applied => applied, "the relay to deliver after the database is back", RecoveryDeadline);
    }

    private async Task<bool> AppliedAsync(IEnumerable<Posted> posted)
    {
        foreach (var service in new[] { "healthscore", "lifecycle", "renewal" })
        {
            var ids = posted.Where(p => p.Services.Contains(service)).Select(p => p.Id).ToList();
            if (ids.Count > 0 && (await StoredEvents.CountByIdAsync(platform, service, ids)).Values.Any(n => n == 0))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<List<Posted>> PostBatchesAsync(HttpClient client, string phase, int batches)
    {
        var posted = new List<Posted>();
        for (var b = 0; b < batches; b++)
        {
            var customerId = Envelopes.NewCustomerId(phase);
            var envelopes = new List<object>();
            for (var i = 0; i < 20; i++)
            {
                envelopes.Add(Envelopes.Usage(customerId, $"{customerId}-u{i}", DateTimeOffset.UtcNow.AddDays(-1).AddMinutes(-i)));
                posted.Add(new Posted($"{customerId}-u{i}", ["healthscore"]));
            }

            envelopes.Add(Envelopes.ContractSigned(customerId, $"{customerId}-c"));
            posted.Add(new Posted($"{customerId}-c", ["healthscore", "lifecycle", "renewal"]));
            var response = await client.PostAsJsonAsync("/v1/events", envelopes);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(new IngestionResult(envelopes.Count, 0), await response.Content.ReadFromJsonAsync<IngestionResult>());
        }

        return posted;
    }

    private sealed record Posted(string Id, string[] Services);
}
