using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>Health as of an instant, its history and the filtered list, fed over RabbitMQ through Ingestion.</summary>
[Collection(PlatformCollection.Name)]
public sealed class HealthApiTests(Platform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);

    [Fact]
    public async Task Use_that_stopped_six_weeks_ago_scores_low_now_but_like_active_use_as_of_then()
    {
        var customer = new CustomerTimeline($"stopped-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await customer.Seats(10, daysAgo: 120).HeavyUse(fromDaysAgo: 75, toDaysAgo: 43, users: 8, "message.sent", "report.exported").PostAsync(_ingestion);

        var then = (await Eventually.ReachesAsync(
            () => _healthScore.HealthAsync(customer.CustomerId, customer.DaysAgo(42)),
            h => h?.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10, asOfDaysAgo: 42),
            "every usage event to count as of six weeks ago"))!;
        var now = (await _healthScore.HealthAsync(customer.CustomerId))!;

        Assert.Equal(0, now.Contribution("monthly_active_users").Raw);
        Assert.True(then.Outcome >= 60, $"as of six weeks ago the outcome was {then.Outcome}");
        Assert.True(now.Outcome < then.Outcome - 30, $"outcome now {now.Outcome} vs then {then.Outcome}");
        Assert.Equal(customer.DaysAgo(42), then.EvaluatedAt);
        Assert.Equal(1, then.ModelVersion);
    }

    [Fact]
    public async Task A_late_event_counts_at_its_occurred_at_in_the_past_as_well_as_now()
    {
        var customer = new CustomerTimeline($"late-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await customer.Seats(10, daysAgo: 60).HeavyUse(fromDaysAgo: 12, toDaysAgo: 2, users: 4).PostAsync(_ingestion);
        await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10), "the customer's first health");
        var before = (await _healthScore.HealthAsync(customer.CustomerId, customer.DaysAgo(1)))!;

        // Arrives now, happened three days ago: a fifth and sixth user that week.
        await customer.Use("late-user-1", "finance", "invoice.exported", daysAgo: 3).Use("late-user-2", "executive", "dashboard.viewed", daysAgo: 3).PostAsync(_ingestion);

        var after = await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10), "the late use to count");
        var asOfThen = (await _healthScore.HealthAsync(customer.CustomerId, customer.DaysAgo(1)))!;
        var asOfBefore = (await _healthScore.HealthAsync(customer.CustomerId, customer.DaysAgo(3, hour: 0)))!;

        Assert.Equal(0.4, before.Contribution("weekly_active_users").Raw!.Value, 3);
        Assert.Equal(0.6, after.Contribution("weekly_active_users").Raw!.Value, 3);
        Assert.Equal(3, after.Contribution("feature_breadth").Raw);
        Assert.Equal(0.6, asOfThen.Contribution("weekly_active_users").Raw!.Value, 3);
        Assert.True(asOfThen.Score > before.Score, $"as of yesterday {asOfThen.Score} now vs {before.Score} before the late events");
        Assert.Equal(0.4, asOfBefore.Contribution("weekly_active_users").Raw!.Value, 3);
        Assert.Equal(1, asOfBefore.Contribution("feature_breadth").Raw);
    }

    [Fact]
    public async Task History_lists_each_changed_evaluation_in_order_and_filters_by_evaluated_at()
    {
        var customer = new CustomerTimeline($"history-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await customer.Seats(10, daysAgo: 30).HeavyUse(fromDaysAgo: 10, toDaysAgo: 2, users: 3).PostAsync(_ingestion);
        await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10), "the first evaluation");
        await customer.Survey("nps", 10, daysAgo: 2, "user-00").Survey("csat", 5, daysAgo: 2, "user-01").PostAsync(_ingestion);
        var latest = await _healthScore.WaitForHealthAsync(customer.CustomerId, h => h.Contribution("nps").Raw is not null, "the survey to count");

        var history = (await _healthScore.HistoryAsync(customer.CustomerId))!;

        Assert.True(history.Evaluations.Count >= 2);
        Assert.Equal(history.Evaluations.OrderBy(e => e.EvaluatedAt).Select(e => e.EventId), history.Evaluations.Select(e => e.EventId));
        Assert.Equal(latest.Score, history.Evaluations[^1].Score);
        Assert.Equal(latest.Contributions, history.Evaluations[^1].Contributions);
        Assert.True(history.Evaluations[0].Significant, "the first evaluation is always significant");
        Assert.All(history.Evaluations, e => Assert.Equal(1, e.ModelVersion));
        Assert.All(history.Evaluations, e => Assert.Equal(LifecycleStage.Adoption, e.Stage));

        var first = history.Evaluations[0];
        var onlyFirst = (await _healthScore.HistoryAsync(customer.CustomerId, $"?from={HealthReads.Instant(first.EvaluatedAt)}&to={HealthReads.Instant(first.EvaluatedAt)}"))!;
        Assert.Equal([first.EventId], onlyFirst.Evaluations.Select(e => e.EventId));
        var afterAll = (await _healthScore.HistoryAsync(customer.CustomerId, $"?from={HealthReads.Instant(latest.EvaluatedAt.AddSeconds(1))}"))!;
        Assert.Empty(afterAll.Evaluations);
    }

    [Fact]
    public async Task History_and_as_of_answer_problems_for_bad_requests_and_unknown_customers()
    {
        var unknown = await _healthScore.GetAsync($"/v1/customers/nobody-{Guid.NewGuid():N}/health/history");
        var reversed = await _healthScore.GetAsync($"/v1/customers/x/health/history?from={HealthReads.Instant(DateTimeOffset.UtcNow)}&to={HealthReads.Instant(DateTimeOffset.UtcNow.AddDays(-1))}");
        var future = await _healthScore.GetAsync($"/v1/customers/x/health?asOf={HealthReads.Instant(DateTimeOffset.UtcNow.AddDays(1))}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("from", (await reversed.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("asOf", (await future.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task The_list_filters_by_band_quadrant_and_tier_and_rejects_unknown_values()
    {
        var customer = new CustomerTimeline($"listed-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await customer.Seats(10, daysAgo: 30).HeavyUse(fromDaysAgo: 20, toDaysAgo: 2, users: 9, "message.sent", "report.exported", "search.used").PostAsync(_ingestion);
        var health = await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10), "the listed customer's health");
        var band = health.Band.ToString().ToLowerInvariant();
        var otherBand = health.Band == HealthBand.Red ? "green" : "red";

        var matching = await AllPagesAsync($"band={band}&quadrant={health.Quadrant}&tier=standard");
        var other = await AllPagesAsync($"band={otherBand}");
        var keyAccounts = await AllPagesAsync("tier=key_account");
        var invalid = await _healthScore.GetAsync("/v1/health?band=purple&quadrant=Q5&tier=gold&limit=0");

        var listed = Assert.Single(matching, c => c.CustomerId == customer.CustomerId);
        Assert.Equal(health.Score, listed.Score);
        Assert.Equal(CustomerTier.Standard, listed.Tier);
        Assert.DoesNotContain(other, c => c.CustomerId == customer.CustomerId);
        Assert.DoesNotContain(keyAccounts, c => c.CustomerId == customer.CustomerId);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        var problem = (await invalid.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal(["band", "limit", "quadrant", "tier"], problem.Errors.Keys.Order());
        Assert.Contains("red, yellow, green", problem.Errors["band"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_need_the_read_scope_and_model_changes_the_admin_scope()
    {
        using var anonymous = Platform.Client(platform.HealthScore, apiKey: null);
        using var ingestOnly = Platform.Client(platform.HealthScore, Platform.IngestKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingestOnly.GetAsync("/v1/scoring-model")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _healthScore.PutAsJsonAsync("/v1/scoring-model", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _healthScore.PostAsJsonAsync("/v1/scoring-model/simulate", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _healthScore.PostAsync("/v1/health/evaluations", null)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_health_score_endpoint()
    {
        using var anonymous = Platform.Client(platform.HealthScore, apiKey: null);

        var document = await anonymous.GetStringAsync("/swagger/v1/swagger.json");

        foreach (var path in new[]
        {
            "/v1/customers/{customerId}/health", "/v1/customers/{customerId}/health/history", "/v1/health", "/v1/health/evaluations",
            "/v1/scoring-model", "/v1/scoring-model/versions", "/v1/scoring-model/versions/{version}", "/v1/scoring-model/simulate",
        })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    private async Task<List<HealthListItem>> AllPagesAsync(string filters)
    {
        var all = new List<HealthListItem>();
        for (var offset = 0; ; offset += 500)
        {
            var page = (await _healthScore.GetFromJsonAsync<HealthListResponse>($"/v1/health?{filters}&limit=500&offset={offset}"))!;
            all.AddRange(page.Customers);
            if (page.Customers.Count < 500)
            {
                return all;
            }
        }
    }
}
