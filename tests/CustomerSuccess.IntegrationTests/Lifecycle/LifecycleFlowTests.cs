using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.HealthScore;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.Lifecycle.Domain;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.Lifecycle;

/// <summary>Contract, milestone, health and renewal-window events drive a customer through its lifecycle, read over the API.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LifecycleFlowTests(Platform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _lifecycle = Platform.Client(platform.Lifecycle, Platform.ReadKey);
    private readonly HttpClient _admin = Platform.Client(platform.Lifecycle, Platform.AdminKey);
    private readonly HttpClient _healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);

    private IBus Bus => platform.Lifecycle.Services.GetRequiredService<IBus>();

    [Fact]
    public async Task A_contract_and_a_first_value_put_the_customer_in_adoption_with_its_milestones_and_due_dates()
    {
        var customer = new CustomerTimeline(Envelopes.NewCustomerId("adopting"), DateTimeOffset.UtcNow);
        await customer.ContractSigned("c-1", daysAgo: 40)
            .Add("milestone.reached", customer.DaysAgo(35), new { milestone = "account_opened" })
            .Add("milestone.reached", customer.DaysAgo(10), new { milestone = "first_value" })
            .PostAsync(_ingestion);

        var lifecycle = await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Adoption, "adoption");

        Assert.Equal(customer.DaysAgo(10), lifecycle.StageSince);
        Assert.Equal([LifecycleStage.Onboarding, LifecycleStage.Adoption], lifecycle.StageHistory.Select(s => s.Stage));
        Assert.Equal(30, lifecycle.StageHistory[0].Days);
        Assert.Equal([Milestone.AccountOpened, Milestone.FirstValue], lifecycle.Milestones.Select(m => m.Milestone));
        Assert.All(lifecycle.Milestones, m => Assert.False(m.PreviousLife));
        var start = DateOnly.FromDateTime(customer.DaysAgo(40).UtcDateTime);
        Assert.Equal(start.AddDays(90), lifecycle.FirstValueDueOn);
        Assert.Equal(start.AddDays(90), lifecycle.DeliveryDueOn);
        Assert.False(lifecycle.FirstValueOverdue);
        Assert.False(lifecycle.DeliveryOverdue);
        Assert.True(lifecycle.HandoverMissing);
        Assert.Equal(CustomerTier.Standard, lifecycle.Tier);

        var adopting = await _lifecycle.ListAllAsync("stage=adoption");
        Assert.Contains(adopting, i => i.CustomerId == customer.CustomerId);
        Assert.DoesNotContain(await _lifecycle.ListAllAsync("stage=churned"), i => i.CustomerId == customer.CustomerId);
    }

    [Fact]
    public async Task Sustained_green_health_from_HealthScore_makes_the_customer_mature_and_the_change_is_published_once()
    {
        await using var stages = await MessageListener<CustomerStageChanged>.StartAsync(Bus);
        var customer = new CustomerTimeline(Envelopes.NewCustomerId("maturing"), DateTimeOffset.UtcNow);
        await customer.ContractSigned("c-1", daysAgo: 100)
            .Add("milestone.reached", customer.DaysAgo(80), new { milestone = "first_value" })
            .Add("milestone.reached", customer.DaysAgo(70), new { milestone = "delivered" })
            .PostAsync(_ingestion);
        await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Adoption, "adoption");

        var healthy = new CustomerHealthChanged
        {
            EventId = $"health-{Guid.NewGuid():N}", CustomerId = customer.CustomerId, Score = 82, Outcome = 85, Experience = 70,
            Band = HealthBand.Green, Quadrant = Quadrant.Q1, Trend = HealthTrend.Stable, ModelVersion = 1, EvaluatedAt = customer.DaysAgo(60),
        };
        await Bus.Publish(healthy);
        await Bus.Publish(healthy); // redelivered: changes nothing
        var mature = await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Mature, "mature");
        var published = await Eventually.ReachesAsync(
            () => Task.FromResult(stages.Where(s => s.CustomerId == customer.CustomerId && s.Stage == LifecycleStage.Mature)),
            s => s.Count > 0, "the published move to mature");

        Assert.Equal(customer.DaysAgo(60).AddDays(30), mature.StageSince);
        Assert.Equal(LifecycleStage.Adoption, published[0].PreviousStage);
        Assert.Equal(mature.StageSince, published[0].ChangedAt);
        await using var session = platform.Lifecycle.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stream = await session.Events.FetchStreamAsync(customer.CustomerId);
        Assert.Single(stream.Select(e => e.Data).OfType<HealthObserved>(), h => h.HealthEventId == healthy.EventId);
        Assert.Single(stream.Select(e => e.Data).OfType<StageChanged>(), s => s.Stage == LifecycleStage.Mature);
        Assert.All(published, p => Assert.Contains(stream, e => e.Id.ToString() == p.EventId));
    }

    [Fact]
    public async Task Renewal_opening_the_window_puts_the_customer_in_renewal_and_a_renewal_makes_it_mature_again()
    {
        var customer = new CustomerTimeline(Envelopes.NewCustomerId("renewing"), DateTimeOffset.UtcNow);
        await customer.ContractSigned("c-1", daysAgo: 200).PostAsync(_ingestion);
        await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Onboarding, "onboarding");
        var endsOn = DateOnly.FromDateTime(customer.DaysAgo(200 - 365).UtcDateTime);

        await Bus.Publish(new RenewalWindowOpened
        {
            EventId = $"window-{Guid.NewGuid():N}", CustomerId = customer.CustomerId, ContractId = "c-1", EndsOn = endsOn,
            OpenedOn = DateOnly.FromDateTime(customer.DaysAgo(5).UtcDateTime),
        });
        var renewal = await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Renewal, "renewal");
        await customer.ContractRenewed("c-1", daysAgo: 1).PostAsync(_ingestion);
        var renewed = await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Mature, "mature after the renewal");

        Assert.Equal(customer.Today.AddDays(-5), renewal.StageSince);
        Assert.Contains("opened by Renewal", renewal.StageHistory[^1].Reason);
        Assert.Equal(customer.DaysAgo(1), renewed.StageSince);
    }

    [Fact]
    public async Task A_cancelled_customer_is_churned_with_its_reason_and_a_new_contract_wins_it_back_with_its_past()
    {
        var customer = new CustomerTimeline(Envelopes.NewCustomerId("winback"), DateTimeOffset.UtcNow);
        await customer.ContractSigned("c-1", daysAgo: 300)
            .Add("milestone.reached", customer.DaysAgo(280), new { milestone = "first_value" })
            .Add("contract.cancelled", customer.DaysAgo(150), new
            {
                contractId = "c-1", effectiveOn = DateOnly.FromDateTime(customer.DaysAgo(100).UtcDateTime), reason = "price", competitor = "Initrode",
            })
            .PostAsync(_ingestion);
        var churned = await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Churned, "churned");
        await customer.ContractSigned("c-2", daysAgo: 10).PostAsync(_ingestion);
        var wonBack = await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.TimesWonBack == 1, "won back");

        Assert.Equal("Initrode", churned.StageHistory[^1].Competitor);
        Assert.Equal("price", churned.StageHistory[^1].ChurnReason);
        Assert.Equal(LifecycleStage.Onboarding, wonBack.Stage);
        Assert.Equal(2, wonBack.Life);
        Assert.Equal(
            [LifecycleStage.Onboarding, LifecycleStage.Adoption, LifecycleStage.Churned, LifecycleStage.Onboarding],
            wonBack.StageHistory.Select(s => s.Stage));
        var firstValue = Assert.Single(wonBack.Milestones);
        Assert.True(firstValue.PreviousLife);
        Assert.Equal(1, firstValue.Life);
        Assert.Contains(await _lifecycle.ListAllAsync("stage=onboarding"), i => i.CustomerId == customer.CustomerId && i.TimesWonBack == 1);
    }

    [Fact]
    public async Task A_pinned_key_account_switches_HealthScore_to_key_account_weights_and_unpinning_switches_it_back()
    {
        var customer = new CustomerTimeline(Envelopes.NewCustomerId("pinned"), DateTimeOffset.UtcNow);
        await customer.ContractSigned("c-1", daysAgo: 30).Seats(10, daysAgo: 30)
            .HeavyUse(fromDaysAgo: 20, toDaysAgo: 2, users: 5, "message.sent", "search.used")
            .Survey("nps", 9, daysAgo: 3, "user-00").PostAsync(_ingestion);
        await _healthScore.WaitForHealthAsync(customer.CustomerId, h => h.Contribution("nps").Raw is not null, "the customer's health");
        await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Onboarding, "onboarding");

        using var pin = await _admin.PutAsJsonAsync($"/v1/customers/{customer.CustomerId}/tier", new { tier = "key_account", reason = "strategic logo" });
        Assert.Equal(HttpStatusCode.OK, pin.StatusCode);
        var pinned = (await pin.Content.ReadFromJsonAsync<CustomerLifecycleResponse>())!;
        var keyAccount = await _healthScore.WaitForHealthAsync(customer.CustomerId, h => Math.Abs(h.OutcomeShare() - 0.7) < 1e-3, "key-account weights");

        Assert.Equal(CustomerTier.KeyAccount, pinned.Tier);
        Assert.True(pinned.TierPinned);
        Assert.Equal("pinned by a CSM: strategic logo", pinned.TierReason);
        Assert.Equal((CustomerTier.KeyAccount, true), (pinned.TierHistory[^1].Tier, pinned.TierHistory[^1].Pinned));
        Assert.Equal(0.3, keyAccount.Contributions.Where(c => c.Group == "experience").Sum(c => c.Weight), 3);
        Assert.Contains(await _lifecycle.ListAllAsync("tier=key_account"), i => i.CustomerId == customer.CustomerId && i.TierPinned);

        using var unpin = await _admin.DeleteAsync($"/v1/customers/{customer.CustomerId}/tier?reason=review%20done");
        var unpinned = (await unpin.Content.ReadFromJsonAsync<CustomerLifecycleResponse>())!;
        await _healthScore.WaitForHealthAsync(customer.CustomerId, h => Math.Abs(h.OutcomeShare() - 0.8) < 1e-3, "standard weights again");

        Assert.Equal(CustomerTier.Standard, unpinned.Tier);
        Assert.False(unpinned.TierPinned);
        Assert.Contains("review done", unpinned.TierReason);
        Assert.Equal(3, unpinned.TierHistory.Count);
    }

    [Fact]
    public async Task The_list_pages_with_a_cursor_in_a_stable_order_and_the_metrics_count_stages_and_tiers()
    {
        var prefix = Envelopes.NewCustomerId("paged");
        for (var i = 0; i < 5; i++)
        {
            var customer = new CustomerTimeline($"{prefix}-{i}", DateTimeOffset.UtcNow);
            await customer.ContractSigned("c-1", daysAgo: 20).PostAsync(_ingestion);
            await _lifecycle.WaitForLifecycleAsync(customer.CustomerId, l => l.Stage == LifecycleStage.Onboarding, "onboarding");
        }

        var pagedByTwo = await _lifecycle.ListAllAsync("stage=onboarding", limit: 2);
        var atOnce = await _lifecycle.ListAllAsync("stage=onboarding");
        var metrics = await _lifecycle.GetFromJsonAsync<LifecycleMetricsResponse>(
            $"/v1/lifecycle/metrics?from={HealthReads.Instant(DateTimeOffset.UtcNow.AddDays(-30))}&to={HealthReads.Instant(DateTimeOffset.UtcNow)}");

        Assert.Equal(atOnce.Select(i => i.CustomerId), pagedByTwo.Select(i => i.CustomerId));
        Assert.Equal(atOnce.Select(i => i.CustomerId).Order(StringComparer.Ordinal), atOnce.Select(i => i.CustomerId));
        Assert.Equal(5, atOnce.Count(i => i.CustomerId.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.True(metrics!.Stages.Single(s => s.Stage == LifecycleStage.Onboarding).Customers >= 5);
        Assert.True(metrics.Transitions.Single(t => t.From is null && t.To == LifecycleStage.Onboarding).Count >= 5);
        Assert.Equal(Enum.GetValues<CustomerTier>().Length, metrics.Tiers.Count);
    }
}
