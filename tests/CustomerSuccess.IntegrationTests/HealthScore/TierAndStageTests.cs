using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.TiersAndStages;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>Tier and stage changes from Lifecycle (over RabbitMQ) switch the weights HealthScore uses.</summary>
[Collection(PlatformCollection.Name)]
public sealed class TierAndStageTests(Platform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);

    private IBus LifecycleBus => platform.Lifecycle.Services.GetRequiredService<IBus>();

    [Fact]
    public async Task A_customer_becoming_a_key_account_is_scored_70_30_from_the_change_on_and_80_20_before_it()
    {
        var customer = await ActiveCustomerAsync("key-account");
        var changedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        var tierChanged = new CustomerTierChanged
        {
            EventId = $"tier-{Guid.NewGuid():N}", CustomerId = customer.CustomerId, PreviousTier = CustomerTier.Standard,
            Tier = CustomerTier.KeyAccount, Pinned = true, ChangedAt = changedAt,
        };

        await LifecycleBus.Publish(tierChanged);
        await LifecycleBus.Publish(tierChanged); // redelivered: must change nothing
        var keyAccount = await _healthScore.WaitForHealthAsync(customer.CustomerId, h => Math.Abs(h.OutcomeShare() - 0.7) < 1e-3, "key-account shares");
        var before = (await _healthScore.HealthAsync(customer.CustomerId, changedAt.AddSeconds(-1)))!;

        // Another change after the duplicate, on the same queue: once it shows, the duplicate has long been handled.
        await LifecycleBus.Publish(tierChanged with { EventId = $"tier-{Guid.NewGuid():N}", PreviousTier = CustomerTier.KeyAccount, Tier = CustomerTier.HighPotential, ChangedAt = DateTimeOffset.UtcNow });
        await _healthScore.WaitForHealthAsync(customer.CustomerId, h => Math.Abs(h.OutcomeShare() - 0.8) < 1e-3, "high-potential shares");

        Assert.Equal(0.3, keyAccount.Contributions.Where(c => c.Group == "experience").Sum(c => c.Weight), 3);
        Assert.Equal(0.8, before.OutcomeShare(), 3);
        var history = (await _healthScore.HistoryAsync(customer.CustomerId))!.Evaluations;
        Assert.Contains(history, e => e.Tier == CustomerTier.KeyAccount);
        Assert.Equal(CustomerTier.HighPotential, history[^1].Tier);
        Assert.Equal(1, await TierRecordsAsync(customer.CustomerId, tierChanged.EventId));
        var highPotential = await _healthScore.GetFromJsonAsync<HealthListResponse>("/v1/health?tier=high_potential&limit=1000");
        Assert.Contains(highPotential!.Customers, c => c.CustomerId == customer.CustomerId);
    }

    [Fact]
    public async Task A_customer_in_onboarding_is_weighted_on_daily_activity()
    {
        var customer = await ActiveCustomerAsync("onboarding");
        var adoption = (await _healthScore.HealthAsync(customer.CustomerId))!;

        await LifecycleBus.Publish(new CustomerStageChanged
        {
            EventId = $"stage-{Guid.NewGuid():N}", CustomerId = customer.CustomerId, PreviousStage = LifecycleStage.Adoption,
            Stage = LifecycleStage.Onboarding, ChangedAt = DateTimeOffset.UtcNow, Reason = "won back",
        });
        var onboarding = await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("daily_active_users").Weight > adoption.Contribution("daily_active_users").Weight, "onboarding weights");

        Assert.True(onboarding.Contribution("feature_breadth").Weight < adoption.Contribution("feature_breadth").Weight);
        Assert.Equal(0.8, onboarding.OutcomeShare(), 3);
        Assert.Equal(LifecycleStage.Onboarding, (await _healthScore.HistoryAsync(customer.CustomerId))!.Evaluations[^1].Stage);
    }

    private async Task<CustomerTimeline> ActiveCustomerAsync(string prefix)
    {
        var customer = new CustomerTimeline($"{prefix}-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await customer.Seats(10, daysAgo: 30).HeavyUse(fromDaysAgo: 20, toDaysAgo: 2, users: 5, "message.sent", "search.used")
            .Survey("nps", 9, daysAgo: 3, "user-00").PostAsync(_ingestion);
        var health = await _healthScore.WaitForHealthAsync(
            customer.CustomerId, h => h.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10) && h.Contribution("nps").Raw is not null,
            "the active customer's health");
        Assert.Equal(0.8, health.OutcomeShare(), 3);
        return customer;
    }

    private async Task<int> TierRecordsAsync(string customerId, string lifecycleEventId)
    {
        await using var session = platform.HealthScore.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(customerId);
        return events.Select(e => e.Data).OfType<TierRecorded>().Count(t => t.LifecycleEventId == lifecycleEventId);
    }
}
