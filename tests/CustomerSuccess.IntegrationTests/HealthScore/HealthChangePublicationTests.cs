using CustomerSuccess.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>CustomerHealthChanged goes to RabbitMQ when band, quadrant or score by the model's margin moves, not on every evaluation.</summary>
[Collection(PlatformCollection.Name)]
public sealed class HealthChangePublicationTests(Platform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);

    [Fact]
    public async Task Only_significant_evaluations_are_published_each_once_with_the_evaluations_id()
    {
        await using var listener = await HealthChangedListener.StartAsync(platform.Lifecycle.Services.GetRequiredService<IBus>());
        var customer = new CustomerTimeline($"published-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);

        // First result (yellow, Q3: good use, no experience data yet): always published.
        await customer.Seats(10, daysAgo: 30).HeavyUse(fromDaysAgo: 10, toDaysAgo: 2, users: 6).PostAsync(_ingestion);
        await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10), "the first evaluation");

        // A second feature: breadth moves the score by about two points, same band and quadrant: stored, not published.
        await customer.Use("user-00", "operator", "search.used", daysAgo: 2).PostAsync(_ingestion);
        await _healthScore.WaitForHealthAsync(customer.CustomerId, h => h.Contribution("feature_breadth").Raw == 2, "the second feature to count");

        // Promoters and top satisfaction: experience from neutral to high moves quadrant, band and score: published.
        await customer.Survey("nps", 10, daysAgo: 2, "user-00").Survey("nps", 10, daysAgo: 2, "user-01").Survey("csat", 5, daysAgo: 2, "user-02")
            .PostAsync(_ingestion);
        await _healthScore.WaitForHealthAsync(customer.CustomerId, h => h.Contribution("csat").Raw == 5, "the surveys to count");

        var history = (await _healthScore.HistoryAsync(customer.CustomerId))!.Evaluations;
        var significant = history.Where(e => e.Significant).ToList();
        var published = await Eventually.ReachesAsync(
            () => Task.FromResult(listener.For(customer.CustomerId)),
            messages => messages.Select(m => m.EventId).ToHashSet().IsSupersetOf(significant.Select(e => e.EventId)),
            "every significant evaluation to be published");

        Assert.True(history.Count >= 3, $"{history.Count} evaluations");
        Assert.Contains(history, e => !e.Significant);
        Assert.True(history[0].Significant);
        Assert.True(history[^1].Significant);
        Assert.Equal(significant.Select(e => e.EventId).Order(), published.Select(m => m.EventId).Distinct().Order());

        var last = history[^1];
        var message = published.Last(m => m.EventId == last.EventId);
        Assert.Equal((decimal)last.Score, message.Score);
        Assert.Equal(last.Band, message.Band);
        Assert.Equal(last.Quadrant, message.Quadrant);
        Assert.Equal(last.Trend, message.Trend);
        Assert.Equal(last.ModelVersion, message.ModelVersion);
        Assert.Equal(last.EvaluatedAt, message.EvaluatedAt);
        Assert.Equal(last.TopReasons, message.TopReasons);
        Assert.NotEmpty(message.TopReasons);
    }
}
