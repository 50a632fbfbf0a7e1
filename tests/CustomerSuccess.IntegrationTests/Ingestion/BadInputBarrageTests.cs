using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerSuccess.IntegrationTests.Ingestion;

/// <summary>
/// The bad-input barrage: a few thousand malformed, oversized, wrong-typed and wrong-auth requests interleaved with
/// good ones, sent concurrently. Nothing answers 5xx, every refusal is the documented 4xx problem, every good event
/// is applied exactly once wherever its type is kept, and nothing from a refused request (or a rejected bulk line)
/// is applied anywhere. Among them go refused requests to the other services — bad or wrong-scope tier pins, bad
/// list, metrics and feed queries, bad webhook registrations — after which no tier is pinned and no webhook registered.
/// </summary>
public sealed class BadInputBarrageTests(BarragePlatform platform, ITestOutputHelper output) : IClassFixture<BarragePlatform>
{
    private const int Seed = 20261125;
    private const int Senders = 6;
    private const int MaxThrottledRetries = 100;
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Thousands_of_bad_requests_among_good_ones_never_fail_the_server_lose_a_good_event_or_apply_a_bad_one()
    {
        var run = $"barrage-{Guid.NewGuid():N}"[..16];
        var barrage = new Barrage(new Random(Seed), run, DateTimeOffset.UtcNow);
        var shots = barrage.Shots();
        var good = shots.SelectMany(s => s.Good).ToList();
        Assert.Equal(Barrage.Types.Length, good.Select(g => g.Type).Distinct().Count());
        Assert.Equal(good.Count, good.Select(g => g.Id).Distinct().Count());

        var stopwatch = Stopwatch.StartNew();
        using var ingestion = platform.Ingestion.CreateClient();
        using var lifecycle = platform.Lifecycle.CreateClient();
        using var renewal = platform.Renewal.CreateClient();
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal) { ["ingestion"] = ingestion, ["lifecycle"] = lifecycle, ["renewal"] = renewal };
        foreach (var client in clients.Values)
        {
            client.Timeout = TimeSpan.FromSeconds(90);
        }

        var outcomes = await SendAllAsync(clients, shots);
        var sendTime = stopwatch.Elapsed;

        output.WriteLine($"run {run}: {shots.Count} requests, {good.Count} good events, {barrage.BadIdCount} ids that must never be applied; sent in {sendTime.TotalSeconds:0.0} s");
        foreach (var category in shots.Zip(outcomes).GroupBy(p => p.First.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = string.Join(", ", category.GroupBy(p => p.Second.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Count()}"));
            output.WriteLine($"  {category.Key,-22} {category.Count(),5} requests  {category.Sum(p => p.First.Good.Count),5} good events  statuses {statuses}  429s retried {category.Sum(p => p.Second.Throttled)}");
        }

        var serverErrors = shots.Zip(outcomes).Where(p => p.Second.Status >= 500).Select(p => $"{p.First}: {p.Second.Status} {BarrageOracle.Clip(p.Second.Body)}").ToList();
        Assert.True(serverErrors.Count == 0, $"{serverErrors.Count} server errors:\n{string.Join("\n", serverErrors.Take(20))}");
        var wrong = shots.Zip(outcomes).SelectMany(p => BarrageOracle.Check(p.First, p.Second)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} unexpected answers:\n{string.Join("\n", wrong.Take(30))}");

        // Accepted means committed: Ingestion's log holds exactly the good ids, once each, right away.
        var inLog = await StoredIdsAsync("ingestion", run);
        BarrageOracle.AssertExactlyOnce("ingestion", BarrageOracle.Expected("ingestion", good), inLog);

        foreach (var service in new[] { "healthscore", "lifecycle", "renewal" })
        {
            var expected = BarrageOracle.Expected(service, good);
            var applied = await Eventually.ReachesAsync(
                () => StoredIdsAsync(service, run),
                stored => expected.All(stored.ContainsKey),
                $"{service} to apply all {expected.Count} good events it keeps",
                ApplyTimeout);
            BarrageOracle.AssertExactlyOnce(service, expected, applied);
        }

        await AssertNoTierPinnedAsync(barrage.CustomerIds);
        await AssertNoWebhookRegisteredAsync(barrage.WebhookUrlPrefix);

        output.WriteLine($"all applied downstream after {stopwatch.Elapsed.TotalSeconds:0.0} s; 429s retried: {outcomes.Sum(o => o.Throttled)}");
    }

    /// <summary>Every event id of this run (ids all start with the run's tag) in one service's event store, with how often it is there.</summary>
    private async Task<IReadOnlyDictionary<string, int>> StoredIdsAsync(string service, string run)
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT data->>'EventId', count(*) FROM {platform.Schema(service)}.mt_events WHERE left(data->>'EventId', length(@run)) = @run GROUP BY 1",
            connection);
        command.Parameters.AddWithValue("run", run);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Refused pins change no tier: no customer of the run is pinned or ever was (nothing else in the barrage pins).</summary>
    private async Task AssertNoTierPinnedAsync(IEnumerable<string> customerIds)
    {
        using var client = Platform.Client(platform.Lifecycle, Platform.ReadKey);
        var known = 0;
        foreach (var customerId in customerIds)
        {
            using var response = await client.GetAsync($"/v1/customers/{Uri.EscapeDataString(customerId)}/lifecycle");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            known++;
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var lifecycle = document.RootElement;
            Assert.False(lifecycle.GetProperty("tierPinned").GetBoolean(), $"{customerId} is pinned: {lifecycle.GetRawText()}");
            Assert.DoesNotContain(lifecycle.GetProperty("tierHistory").EnumerateArray(), entry => entry.GetProperty("pinned").GetBoolean());
        }

        // The good events made Lifecycle know the run's customers, so the check looked at real tiers.
        Assert.True(known > 0, "Lifecycle knows none of the barrage's customers");
        output.WriteLine($"no tier pinned on the {known} customers Lifecycle knows");
    }

    /// <summary>Refused registrations register nothing: no webhook of Renewal's CRM feed has a url of this run.</summary>
    private async Task AssertNoWebhookRegisteredAsync(string urlPrefix)
    {
        using var client = Platform.Client(platform.Renewal);
        using var response = await client.GetAsync("/v1/webhooks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var registered = document.RootElement.EnumerateArray().Select(w => w.GetProperty("url").GetString() ?? "").ToList();
        Assert.DoesNotContain(registered, url => url.StartsWith(urlPrefix, StringComparison.Ordinal));
    }

    private static async Task<Outcome[]> SendAllAsync(IReadOnlyDictionary<string, HttpClient> clients, IReadOnlyList<Shot> shots)
    {
        var outcomes = new Outcome[shots.Count];
        var next = -1;
        async Task SendAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < shots.Count)
            {
                outcomes[i] = await SendOneAsync(clients[shots[i].Service], shots[i]);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)));
        return outcomes;
    }

    /// <summary>Sends one request; a 429 is not an answer but a "later": wait as told and send it again.</summary>
    private static async Task<Outcome> SendOneAsync(HttpClient client, Shot shot)
    {
        for (var throttled = 0; ; throttled++)
        {
            using var request = shot.Request();
            try
            {
                using var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && throttled < MaxThrottledRetries)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait < TimeSpan.FromSeconds(5) ? wait : TimeSpan.FromSeconds(5));
                    continue;
                }

                return new Outcome((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), throttled);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                return new Outcome(0, null, exception.ToString(), throttled);
            }
        }
    }
}
