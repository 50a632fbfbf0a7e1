using CustomerSuccess.Contracts.Events;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// All four services on one fake clock that starts 60 days in the past, so the test can move time six weeks on and
/// still post events Ingestion accepts. Marten 9.58 keeps its own <see cref="TimeProvider"/> (the system clock, not
/// the one in DI) and MassTransit 8.5 uses none, so their polling and retries run on real time while HealthScore,
/// Ingestion and the scheduler read the fake one.
/// </summary>
public sealed class FakeClockPlatform() : Platform(new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-60).AddHours(12), TimeSpan.Zero)));

[CollectionDefinition(Name)]
public sealed class FakeClockPlatformCollection : ICollectionFixture<FakeClockPlatform>
{
    public const string Name = "healthscore-fake-clock";
}

/// <summary>A customer who stops using the product loses outcome as days pass, through the daily evaluation alone.</summary>
[Collection(FakeClockPlatformCollection.Name)]
public sealed class InactivityDecayTests(FakeClockPlatform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);

    [Fact]
    public async Task Six_weeks_without_a_single_event_the_daily_evaluation_has_lowered_the_outcome()
    {
        var clock = platform.Clock!;
        var start = clock.GetUtcNow();
        var customer = new CustomerTimeline($"quiet-{Guid.NewGuid():N}", start);
        await customer.Seats(10, daysAgo: 40).HeavyUse(fromDaysAgo: 30, toDaysAgo: 1, users: 8, "message.sent", "report.exported", "search.used")
            .Survey("nps", 9, daysAgo: 3, "user-01").PostAsync(_ingestion);
        var active = await _healthScore.WaitForHealthAsync(
            customer.CustomerId,
            h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10) && h.Contribution("nps").Raw is not null,
            "the active customer's health");
        Assert.Equal(start, active.EvaluatedAt);

        // Six weeks pass and nothing arrives; the scheduler catches up with the day's run (00:05 UTC).
        clock.Advance(TimeSpan.FromDays(42));
        var todaysRun = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddMinutes(5);
        var quiet = await _healthScore.WaitForHealthAsync(customer.CustomerId, h => h.EvaluatedAt >= todaysRun, "the daily evaluation six weeks on");
        var asOfThen = (await _healthScore.HealthAsync(customer.CustomerId, start))!;

        Assert.Equal(todaysRun, quiet.EvaluatedAt);
        Assert.True(active.Outcome >= 80, $"active outcome {active.Outcome}");
        Assert.True(quiet.Outcome < active.Outcome - 40, $"outcome {quiet.Outcome} six weeks on, {active.Outcome} while active");
        Assert.Equal(0, quiet.Contribution("monthly_active_users").Raw);
        Assert.Equal(HealthTrend.Declining, quiet.Trend);
        Assert.NotEqual(active.Band, quiet.Band);
        Assert.Equal(active.Score, asOfThen.Score);
        Assert.Equal(active.Contributions, asOfThen.Contributions);

        var history = (await _healthScore.HistoryAsync(customer.CustomerId))!.Evaluations;
        Assert.Equal(todaysRun, history[^1].EvaluatedAt);
        Assert.True(history[^1].Significant, "a band change is published");
    }
}
