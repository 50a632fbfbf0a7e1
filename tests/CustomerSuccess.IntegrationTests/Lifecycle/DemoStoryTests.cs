using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Demo;
using CustomerSuccess.IntegrationTests.Infrastructure;

namespace CustomerSuccess.IntegrationTests.Lifecycle;

/// <summary>The demo data set, posted as <c>run.sh</c> posts it, puts every lifecycle demo customer where its story says.</summary>
public sealed class DemoStoryTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task The_demo_customers_show_every_stage_a_win_back_an_overdue_delivery_and_a_high_potential_customer()
    {
        using var ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
        using var lifecycle = Platform.Client(platform.Lifecycle, Platform.ReadKey);
        foreach (var batch in new DemoCustomers(DateTimeOffset.UtcNow).All().Chunk(1000))
        {
            using var response = await ingestion.PostAsJsonAsync("/v1/events", batch);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        async Task Expect(string customerId, LifecycleStage stage, Func<Contracts.Http.CustomerLifecycleResponse, bool>? also = null) =>
            await lifecycle.WaitForLifecycleAsync(customerId, l => l.Stage == stage && (also?.Invoke(l) ?? true), $"{customerId} in {stage}");

        await Expect("wayne", LifecycleStage.Onboarding);
        await Expect("umbrella", LifecycleStage.Adoption);
        await Expect("northwind", LifecycleStage.Mature);
        await Expect("initech", LifecycleStage.Renewal);
        await Expect("acme", LifecycleStage.Renewal, l => l.Tier == CustomerTier.KeyAccount);
        await Expect("cyberdyne", LifecycleStage.Churned, l => l.StageHistory[^1].Competitor == "Initrode");
        await Expect("soylent", LifecycleStage.Onboarding, l => l.TimesWonBack == 1);
        await Expect("stark", LifecycleStage.Adoption, l => l.DeliveryOverdue && !l.FirstValueOverdue);
        await Expect("tyrell", LifecycleStage.Adoption, l => l.Tier == CustomerTier.HighPotential);
    }
}
