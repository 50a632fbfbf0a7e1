using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerSuccess.Client;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.Ingestion;

[Collection(PlatformCollection.Name)]
public sealed class IngestionApiTests(Platform platform)
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public async Task A_request_without_a_key_is_refused_with_401_problem()
    {
        using var client = Platform.Client(platform.Ingestion, apiKey: null);
        var response = await client.PostAsJsonAsync("/v1/events", Envelopes.Usage("c", "id-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_unknown_key_is_refused_with_401_problem()
    {
        using var client = Platform.Client(platform.Ingestion, apiKey: "not-a-configured-key-at-all");
        var response = await client.PostAsJsonAsync("/v1/events", Envelopes.Usage("c", "id-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v1/events", null)]
    [InlineData("/v1/events", "not-a-configured-key-at-all")]
    [InlineData("/v1/events/bulk", null)]
    [InlineData("/v1/events/bulk", "not-a-configured-key-at-all")]
    public async Task Authentication_comes_before_the_media_type_check(string path, string? apiKey)
    {
        using var client = Platform.Client(platform.Ingestion, apiKey);
        foreach (var body in new HttpContent[] { new StringContent("a,b\n1,2", Encoding.UTF8, "text/csv"), new ByteArrayContent([]) })
        {
            using (body)
            {
                var response = await client.PostAsync(path, body);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/events/bulk")]
    public async Task A_key_without_the_ingest_scope_is_refused_before_the_media_type_check(string path)
    {
        using var client = Platform.Client(platform.Ingestion, Platform.ReadKey);
        using var body = new StringContent("a,b\n1,2", Encoding.UTF8, "text/csv");
        var response = await client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/events/bulk")]
    public async Task An_ingest_key_with_the_wrong_media_type_gets_415(string path)
    {
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        using var body = new StringContent("a,b\n1,2", Encoding.UTF8, "text/csv");
        var response = await client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_v1_route_without_a_key_is_401_not_404()
    {
        using var client = Platform.Client(platform.HealthScore, apiKey: null);
        var response = await client.GetAsync("/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_read_key_cannot_post_events_and_an_ingest_key_cannot_read()
    {
        using var reader = Platform.Client(platform.Ingestion, Platform.ReadKey);
        var post = await reader.PostAsJsonAsync("/v1/events", Envelopes.Usage("c", $"id-{Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(ProblemJson, post.Content.Headers.ContentType?.MediaType);

        using var writer = Platform.Client(platform.HealthScore, Platform.IngestKey);
        var read = await writer.GetAsync("/v1/customers/anyone/health");
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
    }

    [Fact]
    public async Task The_key_may_come_in_the_X_Api_Key_header()
    {
        using var client = Platform.Client(platform.Ingestion, apiKey: null);
        client.DefaultRequestHeaders.Add("X-Api-Key", Platform.IngestKey);
        var response = await client.PostAsJsonAsync("/v1/events", Envelopes.Usage(Envelopes.NewCustomerId(), $"id-{Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task One_invalid_envelope_rejects_the_whole_batch_and_names_each_bad_field()
    {
        var customerId = Envelopes.NewCustomerId();
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var good = Envelopes.Usage(customerId, $"{customerId}-good");
        var badSurvey = new Dictionary<string, object>
        {
            ["id"] = $"{customerId}-bad",
            ["type"] = "survey.answered",
            ["customerId"] = customerId,
            ["occurredAt"] = "2026-11-20T10:15:00",
            ["data"] = new { survey = "csat", score = 9 },
        };

        var rejected = await client.PostAsJsonAsync("/v1/events", new object[] { good, badSurvey });

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(ProblemJson, rejected.Content.Headers.ContentType?.MediaType);
        var problem = await rejected.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("[1].occurredAt", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("[1].data.score", out _), errors.ToString());
        Assert.False(errors.TryGetProperty("[0].data.feature", out _));

        // Nothing was accepted: the good envelope alone is new, not a duplicate.
        var retried = await client.PostAsJsonAsync("/v1/events", good);
        Assert.Equal(new IngestionResult(1, 0), await retried.Content.ReadFromJsonAsync<IngestionResult>());
    }

    [Theory]
    [InlineData("{\"id\": \"x\",", "Malformed JSON")]
    [InlineData("[]", "Invalid event envelopes")]
    [InlineData("42", "Invalid event envelopes")]
    [InlineData("", "Malformed JSON")]
    public async Task Malformed_or_empty_bodies_are_400_problems(string body, string title)
    {
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var response = await client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task More_than_1000_envelopes_in_one_request_are_refused()
    {
        var customerId = Envelopes.NewCustomerId();
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var batch = Enumerable.Range(0, 1001).Select(i => Envelopes.Usage(customerId, $"{customerId}-{i}")).ToArray();
        var response = await client.PostAsJsonAsync("/v1/events", batch);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_for_one_customer_are_all_accepted()
    {
        var customerId = Envelopes.NewCustomerId("busy");
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var requests = Enumerable.Range(0, 16).Select(r => client.PostAsJsonAsync(
            "/v1/events",
            Enumerable.Range(0, 25).Select(i => Envelopes.Usage(customerId, $"{customerId}-{r}-{i}")).ToArray()));

        var responses = await Task.WhenAll(requests);

        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var results = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<IngestionResult>()));
        Assert.Equal(16 * 25, results.Sum(r => r!.Accepted));
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var huge = "[" + string.Join(",", Enumerable.Repeat("{\"padding\":\"" + new string('x', 1000) + "\"}", 1100)) + "]";
        var response = await client.PostAsync("/v1/events", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Resent_ids_within_and_across_requests_are_acknowledged_and_applied_once_downstream()
    {
        var customerId = Envelopes.NewCustomerId();
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var a = Envelopes.Usage(customerId, $"{customerId}-a");
        var b = Envelopes.Usage(customerId, $"{customerId}-b", feature: "file.shared");

        var first = await client.PostAsJsonAsync("/v1/events", new object[] { a, a, b });
        Assert.Equal(new IngestionResult(2, 1), await first.Content.ReadFromJsonAsync<IngestionResult>());
        var again = await client.PostAsJsonAsync("/v1/events", new object[] { b, a });
        Assert.Equal(new IngestionResult(0, 2), await again.Content.ReadFromJsonAsync<IngestionResult>());

        string[] ids = [$"{customerId}-a", $"{customerId}-b"];
        var counts = await Eventually.ReachesAsync(
            () => StoredEvents.CountByIdAsync(platform, "healthscore", ids),
            c => c.Values.All(n => n >= 1),
            "HealthScore to apply both events");
        Assert.All(counts.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_key_over_its_rate_is_told_when_to_retry_and_the_client_waits_and_succeeds()
    {
        var customerId = Envelopes.NewCustomerId();
        using var client = Platform.Client(platform.Ingestion, Platform.ThrottledKey);
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5 && limited is null; i++)
        {
            var response = await client.PostAsJsonAsync("/v1/events", Envelopes.Usage(customerId, $"{customerId}-{i}"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.Equal(ProblemJson, limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("1", limited.Headers.GetValues("RateLimit-Limit").Single());
        Assert.True(limited.Headers.Contains("RateLimit-Reset"));

        // The .NET client honours Retry-After and gets through.
        await using var services = new ServiceCollection()
            .AddCustomerSuccessClients(
                new CustomerSuccessClientOptions { Ingestion = platform.Ingestion.Server.BaseAddress, ApiKey = Platform.ThrottledKey },
                http => http.ConfigurePrimaryHttpMessageHandler(() => platform.Ingestion.Server.CreateHandler()))
            .BuildServiceProvider();
        var ingestion = services.GetRequiredService<IIngestionApi>();
        for (var i = 0; i < 3; i++)
        {
            var result = await ingestion.PostEventsAsync([new EventEnvelope($"{customerId}-client-{i}", "usage.recorded", customerId, DateTimeOffset.UtcNow.AddDays(-1), new { feature = "message.sent" })]);
            Assert.Equal(new IngestionResult(1, 0), result);
        }
    }

    [Fact]
    public async Task Bulk_backfill_accepts_valid_lines_and_reports_rejected_ones_by_line_number()
    {
        var customerId = Envelopes.NewCustomerId();
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        string Line(object envelope) => JsonSerializer.Serialize(envelope);
        var lines = new[]
        {
            Line(Envelopes.Usage(customerId, $"{customerId}-1")),
            "{ not json",
            Line(new { id = $"{customerId}-3", type = "usage.recorded", customerId, occurredAt = "2026-11-20T10:15:00Z", data = new { feature = "" } }),
            "",
            Line(Envelopes.Usage(customerId, $"{customerId}-1")),
            Line(Envelopes.ContractSigned(customerId, $"{customerId}-6")),
            Line(Envelopes.Usage(customerId, $"{customerId}-7")) + Line(Envelopes.Usage(customerId, $"{customerId}-8")),
        };

        var response = await client.PostAsync("/v1/events/bulk", new StringContent(string.Join("\n", lines), Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<BulkIngestionResult>();
        Assert.NotNull(result);
        Assert.Equal(2, result.Accepted);
        Assert.Equal(1, result.Duplicates);
        Assert.Equal(3, result.Rejected);
        Assert.Equal([2, 3, 7], result.Errors.Select(e => e.Line));
        Assert.Contains("data.feature", result.Errors[1].Errors.Keys);
    }

    [Fact]
    public async Task A_bulk_line_longer_than_a_whole_request_is_rejected_without_losing_the_lines_around_it()
    {
        var customerId = Envelopes.NewCustomerId();
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var body = string.Join("\n",
            JsonSerializer.Serialize(Envelopes.Usage(customerId, $"{customerId}-1")),
            "{\"id\":\"" + new string('x', 1_200_000) + "\"}",
            JsonSerializer.Serialize(Envelopes.Usage(customerId, $"{customerId}-3")));

        var response = await client.PostAsync("/v1/events/bulk", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));

        var result = await response.Content.ReadFromJsonAsync<BulkIngestionResult>();
        Assert.NotNull(result);
        Assert.Equal((2, 1), (result.Accepted, result.Rejected));
        Assert.Equal(2, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public async Task Bulk_backfill_streams_twenty_thousand_lines()
    {
        var customerId = Envelopes.NewCustomerId();
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var start = DateTimeOffset.UtcNow.AddDays(-300);
        var body = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            body.Append(JsonSerializer.Serialize(Envelopes.Usage(customerId, $"{customerId}-{i}", start.AddMinutes(i * 20)))).Append('\n');
        }

        var response = await client.PostAsync("/v1/events/bulk", new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"));

        var result = await response.Content.ReadFromJsonAsync<BulkIngestionResult>();
        Assert.Equal(new BulkIngestionResult(20_000, 0, 0, []), result! with { Errors = [] });
    }

    [Fact]
    public async Task Replaying_a_customer_to_a_service_changes_nothing_there()
    {
        var customerId = Envelopes.NewCustomerId();
        using var ingest = Platform.Client(platform.Ingestion, Platform.IngestKey);
        string[] ids = [$"{customerId}-1", $"{customerId}-2"];
        await ingest.PostAsJsonAsync("/v1/events", new object[] { Envelopes.Usage(customerId, ids[0]), Envelopes.ContractSigned(customerId, ids[1]) });
        await Eventually.ReachesAsync(() => StoredEvents.CountByIdAsync(platform, "healthscore", ids), c => c.Values.All(n => n == 1), "HealthScore to apply the events");

        using var admin = Platform.Client(platform.Ingestion, Platform.AdminKey);
        var replay = await admin.PostAsJsonAsync("/v1/admin/replay", new { service = "healthscore", customerId });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(2, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());

        // A fresh event after the replay is the barrier: once it is applied, the replayed page was consumed too.
        var barrier = $"{customerId}-3";
        await ingest.PostAsJsonAsync("/v1/events", Envelopes.Usage(customerId, barrier));
        var counts = await Eventually.ReachesAsync(
            () => StoredEvents.CountByIdAsync(platform, "healthscore", [.. ids, barrier]),
            c => c[barrier] == 1,
            "HealthScore to apply the barrier event");
        Assert.All(counts.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Replay_needs_the_admin_scope_and_a_known_service()
    {
        using var ingest = Platform.Client(platform.Ingestion, Platform.IngestKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsJsonAsync("/v1/admin/replay", new { service = "healthscore" })).StatusCode);

        using var admin = Platform.Client(platform.Ingestion, Platform.AdminKey);
        var unknown = await admin.PostAsJsonAsync("/v1/admin/replay", new { service = "billing" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(ProblemJson, unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Thousands_of_random_bad_requests_never_yield_a_server_error()
    {
        var random = new Random(20261124);
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var bodies = BadBodies(random).Take(2000).ToList();
        var statuses = new List<HttpStatusCode>();
        foreach (var (body, contentType) in bodies)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            var path = random.Next(4) == 0 ? "/v1/events/bulk" : "/v1/events";
            var response = await client.PostAsync(path, content);
            statuses.Add(response.StatusCode);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {path} with {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)])}");
        }

        Assert.Contains(HttpStatusCode.BadRequest, statuses);
    }

    private static IEnumerable<(byte[] Body, string ContentType)> BadBodies(Random random)
    {
        string[] fragments = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"type\"", "\"usage.recorded\"", "\"data\"", "\\u0000", "\"\\ud800\"", "{\"a\":", "NaN"];
        while (true)
        {
            switch (random.Next(7))
            {
                case 0:
                    yield return (Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => fragments[random.Next(fragments.Length)]))), "application/json");
                    break;
                case 1:
                    var bytes = new byte[random.Next(1, 2000)];
                    random.NextBytes(bytes);
                    yield return (bytes, "application/json");
                    break;
                case 2:
                    var depth = random.Next(10, 5000);
                    yield return (Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)), "application/json");
                    break;
                case 3:
                    yield return (Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { id = new string('x', random.Next(100, 200_000)), type = "usage.recorded", customerId = "c", occurredAt = "2026-11-20T10:15:00Z", data = new { feature = "f" } })), "application/json");
                    break;
                case 4:
                    object?[] wrongValues = [1, "x", true, null, new[] { 1 }, new { }, 1.5, -1, long.MaxValue];
                    yield return (Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["id"] = wrongValues[random.Next(wrongValues.Length)],
                        ["type"] = random.Next(2) == 0 ? "survey.answered" : wrongValues[random.Next(wrongValues.Length)],
                        ["customerId"] = wrongValues[random.Next(wrongValues.Length)],
                        ["occurredAt"] = wrongValues[random.Next(wrongValues.Length)],
                        ["data"] = new Dictionary<string, object?> { ["survey"] = wrongValues[random.Next(wrongValues.Length)], ["score"] = wrongValues[random.Next(wrongValues.Length)] },
                    })), "application/json");
                    break;
                case 5:
                    yield return (Encoding.UTF8.GetBytes("id=1&type=usage.recorded"), "application/x-www-form-urlencoded");
                    break;
                default:
                    yield return (Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, random.Next(1, 50)).Select(_ => fragments[random.Next(fragments.Length)]))), "application/x-ndjson");
                    break;
            }
        }
    }
}
