using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class WalkingSkeletonTests(Platform platform)
{
    [Fact]
    public async Task Usage_posted_to_ingestion_shows_in_the_customers_health()
    {
        var customerId = $"acme-{Guid.NewGuid():N}";
        using var ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
        using var healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);
        var now = DateTimeOffset.UtcNow;

        // Usage counts from whole days before today, so the use happened yesterday.
        var response = await ingestion.PostAsJsonAsync("/v1/events", new object[]
        {
            new
            {
                id = $"{customerId}-seats-1",
                type = "seats.reported",
                customerId,
                occurredAt = now.AddDays(-2),
                data = new { paid = 10, free = 0, assigned = 10 },
            },
            new
            {
                id = $"{customerId}-usage-1",
                type = "usage.recorded",
                customerId,
                occurredAt = now.AddDays(-1),
                data = new { feature = "message.sent", userId = "u-1", role = "operator" },
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new IngestionResult(2, 0), await response.Content.ReadFromJsonAsync<IngestionResult>());

        var health = await Eventually.ReachesAsync(
            () => healthScore.GetFromJsonAsync<CustomerHealthResponse>($"/v1/customers/{customerId}/health"),
            h => h?.Contributions.Any(c => c.Measure == "core_feature_usage" && c.Raw > 0) == true,
            "the health endpoint to count yesterday's core-feature use");
        Assert.Equal(customerId, health!.CustomerId);
        Assert.True(health.Outcome > 0);
        Assert.Equal(health.Score, health.Contributions.Sum(c => c.Points), 1);
    }

    [Fact]
    public async Task Contract_and_milestone_posted_to_ingestion_show_in_lifecycle_and_renewal()
    {
        var customerId = $"globex-{Guid.NewGuid():N}";
        using var ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
        using var lifecycle = Platform.Client(platform.Lifecycle, Platform.ReadKey);
        using var renewal = Platform.Client(platform.Renewal, Platform.ReadKey);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var trainedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds());

        var response = await ingestion.PostAsJsonAsync("/v1/events", new object[]
        {
            new
            {
                id = $"{customerId}-contract-1",
                type = "contract.signed",
                customerId,
                occurredAt = DateTimeOffset.UtcNow.AddDays(-1),
                data = new { contractId = "c-1", arr = 48000, currency = "EUR", seats = 40, startsOn = today.AddDays(-1), endsOn = today.AddDays(364) },
            },
            new
            {
                id = $"{customerId}-milestone-1",
                type = "milestone.reached",
                customerId,
                occurredAt = trainedAt,
                data = new { milestone = "trained" },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new IngestionResult(2, 0), await response.Content.ReadFromJsonAsync<IngestionResult>());

        // Lifecycle kept the posted milestone in the customer's stream and lists it with the instant it happened.
        var stage = await Eventually.ReachesAsync(
            async () => await lifecycle.GetFromJsonAsync<CustomerLifecycleResponse>($"/v1/customers/{customerId}/lifecycle"),
            r => r?.Milestones.Any(m => m.Milestone == Milestone.Trained) == true,
            "the lifecycle endpoint to list the posted milestone");
        Assert.Equal(customerId, stage!.CustomerId);
        Assert.Equal(trainedAt, stage.Milestones.Single(m => m.Milestone == Milestone.Trained).ReachedAt);

        var contract = await Eventually.ReachesAsync(
            async () => await renewal.GetFromJsonAsync<CustomerRenewalResponse>($"/v1/customers/{customerId}/renewal"),
            r => r is not null,
            "the renewal endpoint to know the customer");
        Assert.Equal("c-1", contract!.ContractId);
        Assert.InRange(contract.DaysToRenewal!.Value, 363, 364); // 363 when the test crosses midnight UTC
        Assert.Equal(48000m, contract.Arr);
    }
}
