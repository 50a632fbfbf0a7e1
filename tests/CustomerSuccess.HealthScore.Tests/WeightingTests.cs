using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>Shares, stage weights, and what happens to the weight of a measure without data.</summary>
public class WeightingTests
{
    [Fact]
    public void A_measure_without_data_shows_with_no_raw_value_no_weight_and_no_points()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health();

        var ces = health.Contribution(MeasureNames.Ces);

        Assert.Null(ces.Raw);
        Assert.Equal(0, ces.Weight);
        Assert.Equal(0, ces.Points);
        Assert.Equal("experience", ces.Group);
        Assert.Equal("no data in the last 90 days; weight redistributed", ces.Reason);
    }

    [Fact]
    public void The_weight_of_missing_measures_goes_proportionally_to_the_measures_of_the_group_with_data()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().Survey(SurveyKind.Nps, 10, 5, "ann").Survey(SurveyKind.Csat, 5, 5).Health();

        // Only NPS (0.14) and CSAT (0.08) have experience data: they share the 20% experience share 14:8.
        Assert.Equal(0.2 * 14 / 22, health.Contribution(MeasureNames.Nps).Weight, 0.001);
        Assert.Equal(0.2 * 8 / 22, health.Contribution(MeasureNames.Csat).Weight, 0.001);
        Assert.Equal(0.2, health.GroupWeight("experience"), 0.001);
    }

    [Fact]
    public void Every_measure_of_the_model_appears_as_a_contribution_in_model_order()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health();

        Assert.Equal(ScoringModel.Default.Measures.Select(m => m.Name), health.Contributions.Select(c => c.Measure));
    }

    [Fact]
    public void Points_are_normalised_value_times_weight_and_sum_to_the_score()
    {
        var health = new CustomerHistory().WithSeats().LittleUse().BadService()
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 100).Feedback(10, 3).Health();

        foreach (var c in health.Contributions)
        {
            Assert.Equal(c.Normalized * c.Weight, c.Points, 0.06);
        }

        Assert.Equal(health.Score, health.Contributions.Sum(c => c.Points), 0.2);
        Assert.Equal(1, health.Contributions.Sum(c => c.Weight), 0.001);
    }

    [Fact]
    public void With_no_experience_data_at_all_experience_is_held_at_a_neutral_50()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().Health();

        Assert.Equal(50, health.Experience);
        var baseline = health.Contribution(HealthEvaluation.ExperienceBaseline);
        Assert.Equal(0.2, baseline.Weight);
        Assert.Equal(10, baseline.Points);
        Assert.Equal((health.Outcome * 0.8) + 10, health.Score, 0.11);
    }

    [Fact]
    public void A_customer_with_no_facts_at_all_shows_no_evidence_of_value()
    {
        var health = new CustomerHistory().Health();

        Assert.Equal(0, health.Outcome);
        Assert.Equal(50, health.Experience);
        Assert.Equal(10, health.Score);
        Assert.Equal(HealthBand.Red, health.Band);
        Assert.Contains("no evidence of value", health.Contribution(HealthEvaluation.OutcomeBaseline).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_seats_without_any_usage_is_zero_outcome_not_missing_data()
    {
        var health = new CustomerHistory().WithSeats().GoodService().Health();

        Assert.Equal(0, health.Outcome);
        Assert.Equal(0, health.Contribution(MeasureNames.MonthlyActiveUsers).Raw);
        Assert.DoesNotContain(health.Contributions, c => c.Measure == HealthEvaluation.OutcomeBaseline);
        Assert.Equal(Quadrant.Q2, health.Quadrant);
    }

    [Fact]
    public void In_onboarding_daily_activity_dominates_the_outcome()
    {
        var history = new CustomerHistory().WithSeats().HeavyUse();

        var onboarding = history.Health(stage: LifecycleStage.Onboarding);
        var mature = history.Health(stage: LifecycleStage.Mature);

        var dauOnboarding = onboarding.Contribution(MeasureNames.DailyActiveUsers).Weight;
        Assert.Equal(0.8 * 0.30, dauOnboarding, 0.001);
        Assert.Equal(0.8 * 0.05, mature.Contribution(MeasureNames.DailyActiveUsers).Weight, 0.001);
        Assert.Equal(dauOnboarding, onboarding.Contributions.Where(c => c.Group == "outcome").Max(c => c.Weight));
    }

    [Fact]
    public void Daily_use_of_a_single_feature_is_worth_more_in_onboarding_than_in_maturity()
    {
        var history = new CustomerHistory().WithSeats();
        for (var daysAgo = 1; daysAgo <= 30; daysAgo++)
        {
            for (var u = 0; u < 25; u++)
            {
                history.Use($"user-{u:D2}", UserRole.Operator, "message.sent", daysAgo);
            }
        }

        var onboarding = history.Health(stage: LifecycleStage.Onboarding);
        var mature = history.Health(stage: LifecycleStage.Mature);

        Assert.True(onboarding.Outcome > mature.Outcome + 10, $"onboarding {onboarding.Outcome}, mature {mature.Outcome}");
    }

    [Fact]
    public void In_maturity_breadth_and_output_weigh_more_than_in_onboarding()
    {
        var history = new CustomerHistory().WithSeats().HeavyUse();

        var onboarding = history.Health(stage: LifecycleStage.Onboarding);
        var mature = history.Health(stage: LifecycleStage.Mature);

        Assert.True(mature.Contribution(MeasureNames.FeatureBreadth).Weight > onboarding.Contribution(MeasureNames.FeatureBreadth).Weight);
        Assert.True(mature.Contribution(MeasureNames.OutputIndex).Weight > onboarding.Contribution(MeasureNames.OutputIndex).Weight);
    }

    [Fact]
    public void The_tier_lifecycle_reports_decides_the_shares_whatever_the_profile_flag_says()
    {
        var health = new CustomerHistory().Profile(keyAccount: true).WithSeats().HeavyUse().GoodService().Health(tier: CustomerTier.Standard);

        Assert.False(health.KeyAccount);
        Assert.Equal(CustomerTier.Standard, health.Tier);
        Assert.Equal(0.8, health.GroupWeight("outcome"), 0.001);
    }

    [Fact]
    public void High_potential_customers_use_the_default_80_20()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health(tier: CustomerTier.HighPotential);

        Assert.False(health.KeyAccount);
        Assert.Equal(0.8, health.GroupWeight("outcome"), 0.001);
    }

    [Fact]
    public void A_key_account_with_great_outcome_and_poor_experience_scores_lower_than_a_standard_one()
    {
        var history = new CustomerHistory().WithSeats().HeavyUse().BadService();

        var keyAccount = history.Health(tier: CustomerTier.KeyAccount);
        var standard = history.Health(tier: CustomerTier.Standard);

        Assert.True(keyAccount.Score < standard.Score - 5, $"key account {keyAccount.Score}, standard {standard.Score}");
    }
}
