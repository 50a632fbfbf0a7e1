using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static CustomerSuccess.IntegrationTests.Renewal.RenewalReads;

namespace CustomerSuccess.IntegrationTests.Renewal;

/// <summary>Contract, invoice, stakeholder and health events in; contracts, difficulty, explained risk, worklist and metrics out.</summary>
[Collection(RenewalPlatformCollection.Name)]
public sealed class RenewalApiTests(RenewalPlatform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _renewal = Platform.Client(platform.Renewal, Platform.ReadKey);
    private static readonly DateOnly s_today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;

    private static string Day(int fromToday) => s_today.AddDays(fromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Publishes a health change as HealthScore would, just after HealthScore's own evaluation of the customer's events,
    /// so it is the latest reading Renewal holds.
    /// </summary>
    private async Task PublishHealthAsync(string customerId, HealthBand band, Quadrant quadrant, HealthReadings? readings = null)
    {
        using var healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);
        var scored = await Eventually.ReachesAsync(
            async () => (await healthScore.GetFromJsonAsync<CustomerHealthResponse>($"/v1/customers/{customerId}/health"))!, h => h is not null, "HealthScore's own evaluation");
        await platform.HealthScore.Services.GetRequiredService<IBus>().Publish(new CustomerHealthChanged
        {
            EventId = Guid.NewGuid().ToString(), CustomerId = customerId, Score = 62, Outcome = 30, Experience = 85, Band = band, Quadrant = quadrant,
            Trend = HealthTrend.Stable, ModelVersion = 1, EvaluatedAt = scored.EvaluatedAt.AddSeconds(1), Readings = readings,
        });
    }

    [Fact]
    public async Task A_difficult_customer_losing_its_champion_near_renewal_is_critical_with_every_reason_explained_and_published_once_per_change()
    {
        await using var risks = await MessageListener<CustomerRiskChanged>.StartAsync(platform.Lifecycle.Services.GetRequiredService<IBus>());
        var customer = Envelopes.NewCustomerId("renewal-story");
        await _ingestion.PostAsync(
            Envelope(customer, "contract.signed", s_now.AddDays(-300), new { contractId = "main", arr = 24000, currency = "EUR", seats = 20, startsOn = Day(-300), endsOn = Day(65) }),
            Envelope(customer, "contract.signed", s_now.AddDays(-100), new { contractId = "addon", arr = 6000, currency = "EUR", seats = 20, startsOn = Day(-100), endsOn = Day(265), products = new[] { "analytics" } }),
            Envelope(customer, "contract.amended", s_now.AddDays(-100), new { contractId = "main", arr = 30000, seats = 25, effectiveOn = Day(-100) }),
            Envelope(customer, "invoice.issued", s_now.AddDays(-230), new { invoiceId = "i-1", amount = 24000, dueOn = Day(-200) }),
            Envelope(customer, "invoice.paid", s_now.AddDays(-180), new { invoiceId = "i-1", paidOn = Day(-180) }),
            Envelope(customer, "invoice.issued", s_now.AddDays(-150), new { invoiceId = "i-2", amount = 6000, dueOn = Day(-120) }),
            Envelope(customer, "invoice.paid", s_now.AddDays(-90), new { invoiceId = "i-2", paidOn = Day(-90) }),
            Envelope(customer, "stakeholder.changed", s_now.AddDays(-5), new { role = "champion", change = "left", personId = "jane" }));
        await PublishHealthAsync(customer, HealthBand.Yellow, Quadrant.Q2, new HealthReadings { SeatActivation = 0.3, MonthlyActiveUsers = 0.2 });

        var renewal = await _renewal.WaitForRenewalAsync(
            customer, r => r.Contracts.Count == 2 && r.Risk.Reasons.Any(x => x.Code == "satisfied_but_unsuccessful") && r.Risk.Reasons.Any(x => x.Code == "champion_left"),
            "contracts, invoices, the champion and the health to count", "?healthDetail=false");

        Assert.Equal("main", renewal.ContractId);
        Assert.Equal(65, renewal.DaysToRenewal);
        Assert.Equal(30000m, renewal.Arr);
        var main = renewal.Contracts.Single(c => c.ContractId == "main");
        Assert.Equal("active", main.Status);
        Assert.Equal("expansion", Assert.Single(main.Amendments).Kind);
        Assert.Equal(["analytics"], renewal.Contracts.Single(c => c.ContractId == "addon").Products);
        Assert.Equal("very_difficult", renewal.Difficulty);
        Assert.Contains("repeatedly late: 2 of 2 invoices", Assert.Single(renewal.Tags).Evidence);
        Assert.True(renewal.WindowOpen);
        Assert.Equal(s_today.AddDays(65 - 150), renewal.WindowOpensOn);
        Assert.Equal(RiskLevel.Critical, renewal.Risk.Level);
        var codes = renewal.Risk.Reasons.Select(r => r.Code).ToList();
        Assert.Superset(new HashSet<string> { "renewal_very_difficult", "champion_left", "satisfied_but_unsuccessful", "health_yellow", "low_seat_activation", "renewal_window_open" }, codes.ToHashSet());
        Assert.Contains("the champion (jane) left", renewal.Risk.Reasons.Single(r => r.Code == "champion_left").Text);
        Assert.Null(renewal.HealthDetail);

        var published = await Eventually.ReachesAsync(
            () => Task.FromResult(risks.Where(m => m.CustomerId == customer)),
            messages => messages.Any(m => m.Level == RiskLevel.Critical && m.Reasons.Any(r => r.Code == "champion_left") && m.Reasons.Any(r => r.Code == "satisfied_but_unsuccessful")),
            "the critical risk to be published");
        var last = published[^1];
        Assert.Equal("main", last.ContractId);
        Assert.Equal("EUR", last.Currency);
        Assert.Equal(published.Count, published.Select(m => m.EventId).Distinct().Count());
        Assert.All(published, m => Assert.True(Guid.TryParse(m.EventId, out _), "the Marten event id is the message's EventId"));
    }

    [Fact]
    public async Task The_health_contributions_behind_the_risk_come_from_HealthScore()
    {
        var customer = Envelopes.NewCustomerId("renewal-health");
        await _ingestion.PostAsync(
            Envelope(customer, "contract.signed", s_now.AddDays(-30), new { contractId = "main", arr = 12000, currency = "EUR", seats = 10, startsOn = Day(-30), endsOn = Day(335) }),
            Envelope(customer, "seats.reported", s_now.AddDays(-10), new { paid = 10, free = 0, assigned = 10 }),
            Envelope(customer, "usage.recorded", s_now.AddDays(-2), new { feature = "message.sent", userId = "u-1", role = "operator" }));

        var renewal = await _renewal.WaitForRenewalAsync(customer, r => r.HealthDetail is { Available: true, Contributions.Count: > 0 }, "the health detail from HealthScore");

        Assert.Null(renewal.HealthDetail!.Note);
        Assert.Contains(renewal.HealthDetail.Contributions, c => c.Measure == "seat_activation");
    }

    [Fact]
    public async Task The_worklist_is_sorted_by_days_to_renewal_filtered_by_tier_and_risk_and_paged_by_cursor()
    {
        var customers = new[] { 30, 10, 20 }.Select(days => (Id: Envelopes.NewCustomerId("worklist"), Days: days)).ToList();
        var bus = platform.Lifecycle.Services.GetRequiredService<IBus>();
        foreach (var (id, days) in customers)
        {
            await _ingestion.PostAsync(Envelope(id, "contract.signed", s_now.AddDays(-1), new { contractId = $"{id}-c", arr = 1000 * days, currency = "EUR", seats = 5, startsOn = Day(-300), endsOn = Day(days) }));
            await bus.Publish(new CustomerTierChanged { EventId = Guid.NewGuid().ToString(), CustomerId = id, Tier = CustomerTier.KeyAccount, Pinned = true, ChangedAt = s_now.AddMinutes(-1) });
        }

        var first = await Eventually.ReachesAsync(
            async () => (await _renewal.GetFromJsonAsync<RenewalListResponse>("/v1/renewals?tier=key_account&dueWithinDays=40&limit=2"))!,
            page => page.Items.Count == 2 && page.Next is not null && page.Items.All(i => customers.Any(c => c.Id == i.CustomerId) && i.Risk == RiskLevel.Critical),
            "the key accounts on the worklist");
        var second = (await _renewal.GetFromJsonAsync<RenewalListResponse>($"/v1/renewals?tier=key_account&dueWithinDays=40&limit=2&after={first.Next}"))!;

        Assert.Equal([10, 20], first.Items.Select(i => i.DaysToRenewal));
        Assert.Equal(customers.Single(c => c.Days == 30).Id, Assert.Single(second.Items).CustomerId);
        Assert.Null(second.Next);
        Assert.All(first.Items.Concat(second.Items), i => Assert.Equal(CustomerTier.KeyAccount, i.Tier));

        // No usage at all: HealthScore finds them failing (red, Q4), which makes each of them critical here.
        var critical = (await _renewal.GetFromJsonAsync<RenewalListResponse>("/v1/renewals?tier=key_account&risk=critical"))!;
        Assert.Superset(customers.Select(c => c.Id).ToHashSet(), critical.Items.Select(i => i.CustomerId).ToHashSet());
        Assert.All(critical.Items, i => Assert.Equal(RiskLevel.Critical, i.Risk));
        var low = (await _renewal.GetFromJsonAsync<RenewalListResponse>("/v1/renewals?tier=key_account&risk=low"))!;
        Assert.DoesNotContain(low.Items, i => customers.Any(c => c.Id == i.CustomerId));
        var within15 = (await _renewal.GetFromJsonAsync<RenewalListResponse>("/v1/renewals?tier=key_account&dueWithinDays=15"))!;
        Assert.Equal(customers.Single(c => c.Days == 10).Id, Assert.Single(within15.Items).CustomerId);
    }

    [Fact]
    public async Task The_worklist_leaves_out_customers_lost_long_ago_and_keeps_those_that_lapsed_within_the_grace()
    {
        var (lost, lapsed, due) = (Envelopes.NewCustomerId("worklist-lost"), Envelopes.NewCustomerId("worklist-lapsed"), Envelopes.NewCustomerId("worklist-due"));
        await _ingestion.PostAsync(
            Envelope(lost, "contract.signed", s_now.AddDays(-800), new { contractId = "old", arr = 5000, currency = "EUR", seats = 5, startsOn = Day(-800), endsOn = Day(-730) }),
            Envelope(lapsed, "contract.signed", s_now.AddDays(-300), new { contractId = "late", arr = 6000, currency = "EUR", seats = 5, startsOn = Day(-300), endsOn = Day(-5) }),
            Envelope(due, "contract.signed", s_now.AddDays(-300), new { contractId = "soon", arr = 7000, currency = "EUR", seats = 5, startsOn = Day(-300), endsOn = Day(20) }));
        foreach (var customer in new[] { lost, lapsed, due })
        {
            // The answer reads the document the assessment was stored with, in the same commit.
            await _renewal.WaitForRenewalAsync(customer, r => r.ContractId is not null, "the contract", "?healthDetail=false");
        }

        var within30 = (await _renewal.GetFromJsonAsync<RenewalListResponse>("/v1/renewals?dueWithinDays=30&limit=500"))!;
        var everyone = new List<RenewalListItem>();
        string? next = null;
        do
        {
            var page = (await _renewal.GetFromJsonAsync<RenewalListResponse>($"/v1/renewals?limit=500{(next is null ? "" : $"&after={next}")}"))!;
            everyone.AddRange(page.Items);
            next = page.Next;
        }
        while (next is not null);

        Assert.Contains(within30.Items, i => i.CustomerId == due && i.DaysToRenewal == 20);
        Assert.Contains(within30.Items, i => i.CustomerId == lapsed && i.DaysToRenewal == -5);
        Assert.DoesNotContain(within30.Items, i => i.CustomerId == lost);
        Assert.DoesNotContain(everyone, i => i.CustomerId == lost);
        Assert.All(everyone, i => Assert.True(i.DaysToRenewal >= -30, $"{i.CustomerId} stopped {-i.DaysToRenewal} days ago"));
    }

    [Fact]
    public async Task Portfolio_metrics_follow_the_definitions_per_currency()
    {
        // A currency of its own (three random capitals: only ISO-shaped codes are accepted) keeps this portfolio apart from the other tests' customers. Worked out on paper for 2025:
        // x1 10 000 → renewed at 12 000 (expansion 2 000); x2 5 000 lapsed on 2025-03-01 (churned); x3 new, 3 000.
        // starting 15 000, ending 12 000; GRR (15 000 − 5 000) / 15 000 = 0.6667; NRR 12 000 / 15 000 = 0.8; logo churn 1/2;
        // renewals due 2 (x1, x2), renewed 1: 0.5 by count, 10 000 / 15 000 = 0.6667 by ARR.
        var currency = string.Concat(Guid.NewGuid().ToByteArray().Take(3).Select(b => (char)('A' + (b % 26))));
        var (x1, x2, x3) = (Envelopes.NewCustomerId("metrics"), Envelopes.NewCustomerId("metrics"), Envelopes.NewCustomerId("metrics"));
        var signed = DateTimeOffset.Parse("2024-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await _ingestion.PostAsync(
            Envelope(x1, "contract.signed", signed, new { contractId = "x1", arr = 10000, currency, seats = 10, startsOn = "2024-07-01", endsOn = "2025-07-01" }),
            Envelope(x1, "contract.renewed", signed.AddDays(460), new { contractId = "x1", arr = 12000, endsOn = "2026-07-01" }),
            Envelope(x2, "contract.signed", signed, new { contractId = "x2", arr = 5000, currency, seats = 5, startsOn = "2024-03-01", endsOn = "2025-03-01" }),
            Envelope(x3, "contract.signed", signed.AddDays(450), new { contractId = "x3", arr = 3000, currency, seats = 3, startsOn = "2025-06-01", endsOn = "2026-06-01" }));

        var metrics = await Eventually.ReachesAsync(
            async () => (await _renewal.GetFromJsonAsync<PortfolioMetricsResponse>("/v1/portfolio/metrics?from=2025-01-01&to=2026-01-01"))!.Currencies.SingleOrDefault(m => m.Currency == currency),
            m => m is { CohortCustomers: 2, NewArr: 3000, Renewed: 1 },
            "the portfolio in its own currency");

        Assert.Equal(15000m, metrics!.StartingArr);
        Assert.Equal(12000m, metrics.EndingArr);
        Assert.Equal(5000m, metrics.ChurnedArr);
        Assert.Equal(0m, metrics.ContractionArr);
        Assert.Equal(2000m, metrics.ExpansionArr);
        Assert.Equal(0.6667m, metrics.Grr);
        Assert.Equal(0.8m, metrics.Nrr);
        Assert.Equal(0.5m, metrics.LogoChurnRate);
        Assert.Equal(2, metrics.RenewalsDue);
        Assert.Equal(0.5m, metrics.RenewalRate);
        Assert.Equal(0.6667m, metrics.RenewalRateArr);
    }
}
