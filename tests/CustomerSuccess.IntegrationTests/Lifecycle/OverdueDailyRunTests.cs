using CustomerSuccess.Contracts.Events;
using CustomerSuccess.IntegrationTests.HealthScore;
using CustomerSuccess.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerSuccess.IntegrationTests.Lifecycle;

/// <summary>
/// All four services on their own fake clock, which starts 30 days in the past so the test can move time on and still
/// post events Ingestion accepts. Separate from HealthScore's fake-clock fixture: each moves its clock as its tests need.
/// </summary>
public sealed class LifecycleClockPlatform() : Platform(new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-30).AddHours(12), TimeSpan.Zero)));

[CollectionDefinition(Name)]
public sealed class LifecycleClockPlatformCollection : ICollectionFixture<LifecycleClockPlatform>
{
    public const string Name = "lifecycle-fake-clock";
}

/// <summary>Overdue flags are raised by the passage of time: the daily run, with no new event, raises and publishes them.</summary>
[Collection(LifecycleClockPlatformCollection.Name)]
public sealed class OverdueDailyRunTests(LifecycleClockPlatform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _lifecycle = Platform.Client(platform.Lifecycle, Platform.ReadKey);

    [Fact]
    public async Task The_daily_run_raises_the_first_value_overdue_flag_with_no_new_event_and_publishes_it()
    {
        var clock = platform.Clock!;
        await using var overdue = await MessageListener<CustomerMilestoneOverdueChanged>.StartAsync(platform.Lifecycle.Services.GetRequiredService<IBus>());
        var customer = new CustomerTimeline(Envelopes.NewCustomerId("late-value"), clock.GetUtcNow());
        // Started 89 days ago: first value and delivery are due tomorrow.
        await customer.ContractSigned("c-1", daysAgo: 89).PostAsync(_ingestion);
        var before = await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Onboarding, "onboarding");
        var dueOn = DateOnly.FromDateTime(customer.Today.UtcDateTime).AddDays(1);
        Assert.Equal(dueOn, before.FirstValueDueOn);
        Assert.False(before.FirstValueOverdue);

        // Three days pass and nothing arrives; the scheduler catches up with the daily runs (00:05 UTC).
        clock.Advance(TimeSpan.FromDays(3));
        var published = await Eventually.ReachesAsync(
            () => Task.FromResult(overdue.Where(o => o.CustomerId == customer.CustomerId)),
            o => o.Count >= 2, "the published overdue flags");
        var listed = await Eventually.ReachesAsync(
            () => _lifecycle.ListAllAsync("overdue=true"), items => items.Any(i => i.CustomerId == customer.CustomerId), "the customer listed as overdue");

        Assert.Equal([(Milestone.FirstValue, true), (Milestone.Delivered, true)], published.Select(o => (o.Milestone, o.Overdue)));
        Assert.All(published, o => Assert.Equal(dueOn, o.DueOn));
        Assert.All(published, o => Assert.Equal(new DateTimeOffset(dueOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), o.ChangedAt));
        var item = listed.Single(i => i.CustomerId == customer.CustomerId);
        Assert.True(item.FirstValueOverdue);
        Assert.True(item.DeliveryOverdue);
        Assert.True(item.EvaluatedAt > customer.Today.AddDays(1));
        var now = (await _lifecycle.LifecycleAsync(customer.CustomerId))!;
        Assert.True(now.FirstValueOverdue);

        // Reaching first value late clears its flag, published as well.
        await customer.Add("milestone.reached", clock.GetUtcNow().AddHours(-1), new { milestone = "first_value" }).PostAsync(_ingestion);
        var cleared = await Eventually.ReachesAsync(
            () => Task.FromResult(overdue.Where(o => o.CustomerId == customer.CustomerId && o.Milestone == Milestone.FirstValue && !o.Overdue)),
            o => o.Count > 0, "the cleared first-value flag");
        Assert.Single(cleared);
        var after = (await _lifecycle.LifecycleAsync(customer.CustomerId))!;
        Assert.False(after.FirstValueOverdue);
        Assert.True(after.DeliveryOverdue);
        Assert.Equal(LifecycleStage.Adoption, after.Stage);
    }
}
