using System.Diagnostics;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.Renewal.Domain;
using CustomerSuccess.EventSourcing.Scheduling;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static CustomerSuccess.IntegrationTests.Renewal.RenewalReads;

namespace CustomerSuccess.IntegrationTests.Renewal;

/// <summary>The daily run on a fake clock opens a renewal window once; and with HealthScore down the renewal answer still comes.</summary>
[Collection(RenewalClockPlatformCollection.Name)]
public sealed class RenewalWindowTests(RenewalClockPlatform platform)
{
    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);
    private readonly HttpClient _renewal = Platform.Client(platform.Renewal, Platform.ReadKey);

    [Fact]
    public async Task The_daily_run_opens_the_window_by_the_passage_of_time_and_publishes_RenewalWindowOpened_once()
    {
        await using var windows = await MessageListener<RenewalWindowOpened>.StartAsync(platform.Lifecycle.Services.GetRequiredService<IBus>());
        var clock = platform.Clock!;
        var start = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(start.UtcDateTime);
        var customer = Envelopes.NewCustomerId("window");
        await _ingestion.PostAsync(Envelope(customer, "contract.signed", start.AddHours(-1), new
        {
            contractId = "main", arr = 12000, currency = "EUR", seats = 10, startsOn = today.AddDays(-265).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            endsOn = today.AddDays(100).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }));
        var before = await _renewal.WaitForRenewalAsync(customer, r => r.ContractId == "main", "the contract", "?healthDetail=false");
        Assert.False(before.WindowOpen);
        Assert.Equal(today.AddDays(10), before.WindowOpensOn);

        // Eleven days pass without an event, in two steps so that the scheduler makes every daily run (it catches up at
        // most a week at once): the run on the day the window opens opens it.
        var scheduler = platform.Renewal.Services.GetRequiredService<EvaluationScheduler>();
        var firstRun = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero).AddMinutes(5);
        clock.Advance(TimeSpan.FromDays(5));
        await Eventually.ReachesAsync(() => Task.FromResult(scheduler.LastCompletedRun), run => run >= firstRun.AddDays(5), "the daily runs five days on");
        clock.Advance(TimeSpan.FromDays(6));
        var todaysRun = firstRun.AddDays(11);
        await Eventually.ReachesAsync(() => Task.FromResult(scheduler.LastCompletedRun), run => run >= todaysRun, "the daily runs eleven days on");
        var opened = await Eventually.ReachesAsync(() => Task.FromResult(windows.Where(w => w.CustomerId == customer)), w => w.Count >= 1, "RenewalWindowOpened");

        // Another day, and the same run again (as a second instance or a restart would make it): nothing more is opened.
        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.ReachesAsync(() => Task.FromResult(scheduler.LastCompletedRun), run => run >= todaysRun.AddDays(1), "the next daily run");
        await scheduler.RunAllAsync(todaysRun.AddDays(1), CancellationToken.None);
        var risk = await _renewal.WaitForRenewalAsync(customer, r => r.WindowOpen, "the window to show", "?healthDetail=false");

        var window = Assert.Single(opened);
        Assert.Equal("main", window.ContractId);
        Assert.Equal(today.AddDays(100), window.EndsOn);
        Assert.Equal(today.AddDays(10), window.OpenedOn);
        Assert.Contains(risk.Risk.Reasons, r => r.Code == "renewal_window_open");
        await using var session = platform.Renewal.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stream = await session.Events.FetchStreamAsync(customer);
        var recorded = Assert.Single(stream, e => e.Data is RenewalWindowOpenedRecorded);
        Assert.Equal(recorded.Id.ToString(), window.EventId);
        Assert.Single(windows.Where(w => w.CustomerId == customer));
    }

    [Fact]
    public async Task With_HealthScore_down_the_renewal_answer_still_comes_with_the_risk_from_events_and_a_note()
    {
        var clock = platform.Clock!;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var customer = Envelopes.NewCustomerId("healthscore-down");
        await _ingestion.PostAsync(
            Envelope(customer, "contract.signed", now.AddHours(-2), new
            {
                contractId = "main", arr = 9000, currency = "EUR", seats = 10, startsOn = today.AddDays(-340).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                endsOn = today.AddDays(25).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            }),
            Envelope(customer, "stakeholder.changed", now.AddHours(-1), new { role = "champion", change = "left" }));
        await platform.HealthScore.Services.GetRequiredService<IBus>().Publish(new CustomerHealthChanged
        {
            EventId = Guid.NewGuid().ToString(), CustomerId = customer, Score = 35, Outcome = 30, Experience = 45, Band = HealthBand.Red, Quadrant = Quadrant.Q4,
            Trend = HealthTrend.Declining, ModelVersion = 1, EvaluatedAt = now.AddMinutes(-30),
        });
        await _renewal.WaitForRenewalAsync(customer, r => r.Risk.Reasons.Any(x => x.Code == "health_red") && r.Risk.Reasons.Any(x => x.Code == "champion_left"), "the facts", "?healthDetail=false");

        var elapsed = Stopwatch.StartNew();
        var renewal = (await _renewal.GetFromJsonAsync<CustomerRenewalResponse>($"/v1/customers/{customer}/renewal"))!;
        elapsed.Stop();

        Assert.Equal(RiskLevel.Critical, renewal.Risk.Level);
        Assert.Contains(renewal.Risk.Reasons, r => r.Code == "failing");
        Assert.NotNull(renewal.HealthDetail);
        Assert.False(renewal.HealthDetail!.Available);
        Assert.Contains("HealthScore did not answer", renewal.HealthDetail.Note);
        Assert.Empty(renewal.HealthDetail.Contributions);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"answered in {elapsed.Elapsed}");
    }
}
