using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>docs/domain.md "Calibration": what the default model should say, scenario by scenario.</summary>
public class CalibrationTests
{
    [Fact]
    public void Heavy_broad_use_with_good_service_and_happy_users_is_loyal_and_green()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health();

        Assert.Equal(Quadrant.Q1, health.Quadrant);
        Assert.Equal(HealthBand.Green, health.Band);
        Assert.True(health.Outcome >= 85, $"outcome {health.Outcome}");
        Assert.True(health.Experience >= 90, $"experience {health.Experience}");
    }

    [Fact]
    public void Same_service_and_sentiment_with_only_a_couple_of_occasional_users_is_satisfied_but_unsuccessful()
    {
        var health = new CustomerHistory().WithSeats().LittleUse().GoodService().Health();

        Assert.Equal(Quadrant.Q2, health.Quadrant);
        Assert.NotEqual(HealthBand.Green, health.Band);
        Assert.True(health.Outcome < 20, $"outcome {health.Outcome}");
        Assert.True(health.Experience >= 90, $"experience {health.Experience}");
    }

    [Fact]
    public void Heavy_use_with_slow_incident_response_reopened_tickets_and_detractors_is_grudging()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().BadService().Health();

        Assert.Equal(Quadrant.Q3, health.Quadrant);
        Assert.True(health.Experience < 20, $"experience {health.Experience}");
    }

    [Fact]
    public void Little_use_and_bad_service_is_failing_and_red()
    {
        var health = new CustomerHistory().WithSeats().LittleUse().BadService().Health();

        Assert.Equal(Quadrant.Q4, health.Quadrant);
        Assert.Equal(HealthBand.Red, health.Band);
    }

    [Fact]
    public void Use_that_stopped_six_weeks_ago_scores_a_clearly_lower_outcome_than_use_that_continues_to_yesterday()
    {
        var active = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 72, toDaysAgo: 1).GoodService().Health();
        var stopped = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 72, toDaysAgo: 43).GoodService().Health();

        Assert.True(active.Outcome - stopped.Outcome >= 50, $"active {active.Outcome}, stopped {stopped.Outcome}");
        Assert.NotEqual(HealthBand.Green, stopped.Band);
    }

    [Fact]
    public void Use_that_stopped_six_weeks_ago_asked_as_of_six_weeks_ago_scores_like_the_active_one()
    {
        var active = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 72, toDaysAgo: 1).Health();
        var stopped = new CustomerHistory().WithSeats().HeavyUse(fromDaysAgo: 72, toDaysAgo: 43)
            .Health(asOf: CustomerHistory.AsOf.AddDays(-42));

        Assert.InRange(stopped.Outcome, active.Outcome - 5, active.Outcome + 5);
    }

    [Fact]
    public void Identical_facts_give_a_key_account_a_70_percent_outcome_share_and_others_80()
    {
        var history = new CustomerHistory().WithSeats().HeavyUse().GoodService();

        var keyAccount = history.Health(tier: CustomerTier.KeyAccount);
        var standard = history.Health(tier: CustomerTier.Standard);

        Assert.Equal(0.7, keyAccount.GroupWeight("outcome"), 0.001);
        Assert.Equal(0.3, keyAccount.GroupWeight("experience"), 0.001);
        Assert.Equal(0.8, standard.GroupWeight("outcome"), 0.001);
        Assert.Equal(0.2, standard.GroupWeight("experience"), 0.001);
        Assert.Equal(standard.Outcome, keyAccount.Outcome);
        Assert.True(keyAccount.KeyAccount);
    }
}
