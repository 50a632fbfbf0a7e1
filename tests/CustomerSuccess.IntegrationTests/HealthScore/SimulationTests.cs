using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>A candidate model simulated over stored facts, with a backtest against known renewals and churns.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SimulationTests(Platform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _healthScore = Platform.Client(platform.HealthScore, Platform.ReadKey);
    private readonly HttpClient _admin = Platform.Client(platform.HealthScore, Platform.AdminKey);

    [Fact]
    public async Task A_candidate_is_compared_customer_by_customer_and_backtested_against_renewals_and_churns_without_changing_anything()
    {
        var now = DateTimeOffset.UtcNow;
        var run = Guid.NewGuid().ToString("N")[..8];
        var renewed = new[] { new CustomerTimeline($"renewed-a-{run}", now), new CustomerTimeline($"renewed-b-{run}", now) };
        var churned = new[] { new CustomerTimeline($"churned-a-{run}", now), new CustomerTimeline($"churned-b-{run}", now) };
        foreach (var customer in renewed)
        {
            // Heavy use in the months before "90 days before the renewal" (10 days ago).
            customer.ContractSigned("c-1", daysAgo: 375).Seats(10, daysAgo: 370)
                .HeavyUse(fromDaysAgo: 130, toDaysAgo: 60, users: 8, "message.sent", "report.exported", "search.used")
                .ContractRenewed("c-1", daysAgo: 10);
        }

        foreach (var customer in churned)
        {
            customer.ContractSigned("c-1", daysAgo: 375).Seats(10, daysAgo: 370)
                .Use("user-00", "operator", "session.started", daysAgo: 125).Use("user-00", "operator", "session.started", daysAgo: 104)
                .ContractCancelled("c-1", daysAgo: 10);
        }

        var all = renewed.Concat(churned).ToList();
        foreach (var customer in all)
        {
            await customer.PostAsync(_ingestion);
        }

        foreach (var customer in all)
        {
            await Eventually.ReachesAsync(
                () => _healthScore.HealthAsync(customer.CustomerId, customer.DaysAgo(100)),
                h => h?.Contribution("output_index").Raw == customer.ExpectedOutputIndex(10, asOfDaysAgo: 100),
                $"{customer.CustomerId}'s facts");
        }

        var historyBefore = await _healthScore.HistoryAsync(all[0].CustomerId);
        var candidate = ScoringModel.Default with { GreenFrom = 80, YellowFrom = 50 };

        using var response = await _admin.PostAsJsonAsync("/v1/scoring-model/simulate", new
        {
            model = candidate,
            customerIds = all.Select(c => c.CustomerId).Append($"nobody-{run}"),
            backtestDaysBefore = 90,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var simulation = (await response.Content.ReadFromJsonAsync<ScoringSimulationResponse>())!;
        Assert.Equal(1, simulation.CurrentModelVersion);
        Assert.Equal(2, simulation.CandidateModelVersion);
        Assert.Equal([$"nobody-{run}"], simulation.UnknownCustomerIds);
        Assert.Equal(4, simulation.Summary.Customers);
        Assert.Equal(all.Select(c => c.CustomerId).Order(), simulation.Customers.Select(c => c.CustomerId).Order());
        Assert.All(simulation.Customers, c => Assert.Equal(c.Current.Score, c.Candidate.Score)); // only thresholds moved
        Assert.Equal(simulation.Customers.Count(c => c.BandChanged), simulation.Summary.BandChanges);
        Assert.Equal(0, simulation.Summary.MeanScoreDelta);

        var backtest = simulation.Backtest;
        Assert.Equal((90, 2, 2, 0), (backtest.DaysBefore, backtest.Renewals, backtest.Churns, backtest.Skipped));
        Assert.Equal(1.0, backtest.Current.Auc);
        Assert.True(backtest.Current.MeanRenewedScore > backtest.Current.MeanChurnedScore + 30, $"{backtest.Current}");
        Assert.Equal(backtest.Current with { ModelVersion = 2 }, backtest.Candidate);

        // Nothing changed: same model, same history.
        Assert.Equal(1, (await _healthScore.GetFromJsonAsync<JsonElement>("/v1/scoring-model")).GetProperty("version").GetInt32());
        Assert.Equal(historyBefore!.Evaluations.Select(e => e.EventId), (await _healthScore.HistoryAsync(all[0].CustomerId))!.Evaluations.Select(e => e.EventId));
    }

    [Fact]
    public async Task An_invalid_candidate_is_rejected_with_every_rule_it_breaks()
    {
        var candidate = ScoringModel.Default with
        {
            GreenFrom = 30,
            Measures = ScoringModel.Default.Measures.Select(m => m.Name == MeasureNames.Nps ? m with { Weight = 0.5 } : m).ToList(),
        };

        using var response = await _admin.PostAsJsonAsync("/v1/scoring-model/simulate", new { model = candidate, backtestDaysBefore = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Contains(problem.Errors["model"], e => e.StartsWith("Band thresholds", StringComparison.Ordinal));
        Assert.Contains(problem.Errors["model"], e => e.StartsWith("Experience measure weights", StringComparison.Ordinal));
        Assert.Contains("backtestDaysBefore", problem.Errors.Keys);
    }
}
