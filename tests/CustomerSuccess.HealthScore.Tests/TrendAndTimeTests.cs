using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>Time: trailing windows, "as of", decay without events, and the 30-day trend.</summary>
public class TrendAndTimeTests
{
    private static readonly DateTimeOffset s_asOf = CustomerHistory.AsOf;

    [Fact]
    public void Steady_use_is_a_stable_trend()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 120).GoodService().Health();

        Assert.Equal(HealthTrend.Stable, health.Trend);
        Assert.NotNull(health.PreviousScore);
        Assert.False(health.SteepDecline);
    }

    [Fact]
    public void Use_that_took_off_this_month_is_improving()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 30).Health();

        Assert.Equal(HealthTrend.Improving, health.Trend);
        Assert.True(health.TrendDelta >= ScoringModel.Default.TrendThreshold);
    }

    [Fact]
    public void Use_that_stopped_is_a_steep_decline_even_before_the_band_says_so()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 120, toDaysAgo: 20).GoodService().Health();

        Assert.Equal(HealthBand.Green, health.Band);
        Assert.Equal(HealthTrend.Declining, health.Trend);
        Assert.True(health.SteepDecline);
        Assert.Contains(health.Notes, n => n.StartsWith("steep decline", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_facts_as_old_as_the_trend_baseline_the_trend_is_stable()
    {
        var health = new CustomerHistory().Seats(40, daysAgo: 10).HeavyUse(fromDaysAgo: 9).Health();

        Assert.Null(health.PreviousScore);
        Assert.Null(health.TrendDelta);
        Assert.Equal(HealthTrend.Stable, health.Trend);
    }

    [Fact]
    public void A_customer_who_stops_using_the_product_loses_outcome_day_by_day_without_any_new_event()
    {
        var facts = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 60, toDaysAgo: 1).Facts();

        var outcomes = new[] { 0, 3, 7, 14, 30, 60, 100 }
            .Select(later => HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Mature, s_asOf.AddDays(later)).Outcome)
            .ToList();

        for (var i = 1; i < outcomes.Count; i++)
        {
            Assert.True(outcomes[i] <= outcomes[i - 1], $"outcome rose: {string.Join(", ", outcomes)}");
        }

        Assert.True(outcomes[0] >= 85, $"outcome today {outcomes[0]}");
        Assert.Equal(0, outcomes[^1]);
    }

    [Fact]
    public void Facts_dated_after_the_evaluated_instant_are_ignored()
    {
        var before = new CustomerHistory().WithSeats().HeavyUse().GoodService();
        var withFuture = new CustomerHistory().WithSeats().HeavyUse().GoodService()
            .Ticket("LATER", TicketCategory.Incident, TicketPriority.Urgent, openedDaysAgo: -2)
            .Survey(SurveyKind.Nps, 0, daysAgo: -1, userId: "user-00")
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, daysAgo: -3)
            .Seats(400, daysAgo: -1)
            .Use("newcomer", UserRole.Finance, "audit.exported", daysAgo: -1);

        var expected = before.Health();
        var actual = withFuture.Health();

        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.Contributions, actual.Contributions);
    }

    [Fact]
    public void A_ticket_answered_after_the_evaluated_instant_is_still_unanswered_as_of_then()
    {
        var history = new CustomerHistory().WithSeats().HeavyUse()
            .Ticket("T-1", TicketCategory.Incident, TicketPriority.Urgent, openedDaysAgo: 3, respondAfter: TimeSpan.FromDays(2));

        var asOfThen = history.Health(asOf: CustomerHistory.DaysAgo(2));
        var asOfNow = history.Health();

        Assert.Contains("waited 27 h", asOfThen.Contribution(MeasureNames.FirstResponseTime).Reason, StringComparison.Ordinal);
        Assert.Contains("waited 48 h", asOfNow.Contribution(MeasureNames.FirstResponseTime).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_year_back_can_still_be_asked_from_the_same_rollup()
    {
        var history = new CustomerHistory().Seats(40, daysAgo: 399).HeavyUse(fromDaysAgo: 390, toDaysAgo: 330).HeavyUse(fromDaysAgo: 30);

        var aYearAgo = history.Health(asOf: s_asOf.AddDays(-335));
        var today = history.Health();

        Assert.True(aYearAgo.Outcome >= 85, $"outcome a year ago {aYearAgo.Outcome}");
        Assert.Equal(today.Outcome, aYearAgo.Outcome, 5.0);
    }

    [Fact]
    public void Evaluation_is_deterministic_and_stamped_with_the_instant_and_model_version()
    {
        var facts = new CustomerHistory().WithSeats().HeavyUse().BadService().Facts();
        var model = ScoringModel.Default with { Version = 7 };

        var first = HealthEvaluation.Evaluate(facts, model, CustomerTier.Standard, LifecycleStage.Adoption, s_asOf);
        var second = HealthEvaluation.Evaluate(facts, model, CustomerTier.Standard, LifecycleStage.Adoption, s_asOf);

        Assert.Equal(first.Contributions, second.Contributions);
        Assert.Equal(first.Score, second.Score);
        Assert.Equal(7, first.ModelVersion);
        Assert.Equal(s_asOf, first.EvaluatedAt);
    }
}
