using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>The tier and stage Lifecycle gives a customer, kept dated in its facts, decide the weights as of any instant.</summary>
public class TierAndStageTests
{
    private static readonly DateTimeOffset s_asOf = CustomerHistory.AsOf;

    private static CustomerFacts ActiveFacts() => new CustomerHistory().WithSeats().HeavyUse().GoodService().Facts();

    [Fact]
    public void Before_lifecycle_says_anything_a_customer_is_standard_and_in_adoption()
    {
        var facts = ActiveFacts();

        Assert.Equal(CustomerTier.Standard, facts.TierAt(s_asOf));
        Assert.Equal(LifecycleStage.Adoption, facts.StageAt(s_asOf));
        Assert.Equal(0.8, HealthEvaluation.Evaluate(facts, ScoringModel.Default, s_asOf).GroupWeight("outcome"), 3);
    }

    [Fact]
    public void A_key_account_is_scored_70_30_from_the_change_on_and_80_20_before_it()
    {
        var facts = ActiveFacts();
        facts.RecordTier("tier-1", CustomerTier.KeyAccount, CustomerHistory.DaysAgo(10));

        var after = HealthEvaluation.Evaluate(facts, ScoringModel.Default, s_asOf);
        var before = HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerHistory.DaysAgo(11));

        Assert.Equal(0.7, after.GroupWeight("outcome"), 3);
        Assert.Equal(CustomerTier.KeyAccount, after.Tier);
        Assert.True(after.KeyAccount);
        Assert.Equal(0.8, before.GroupWeight("outcome"), 3);
        Assert.Equal(CustomerTier.Standard, before.Tier);
    }

    [Fact]
    public void The_stage_chooses_the_outcome_weights_onboarding_leaning_on_daily_activity()
    {
        var facts = ActiveFacts();
        facts.RecordStage("stage-1", LifecycleStage.Onboarding, CustomerHistory.DaysAgo(5));

        var onboarding = HealthEvaluation.Evaluate(facts, ScoringModel.Default, s_asOf);
        var adoption = HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerHistory.DaysAgo(6));

        Assert.Equal(LifecycleStage.Onboarding, onboarding.Stage);
        Assert.True(onboarding.Contribution(MeasureNames.DailyActiveUsers).Weight > adoption.Contribution(MeasureNames.DailyActiveUsers).Weight);
        Assert.True(onboarding.Contribution(MeasureNames.FeatureBreadth).Weight < adoption.Contribution(MeasureNames.FeatureBreadth).Weight);
    }

    [Fact]
    public void Until_lifecycle_assigns_a_tier_the_profile_flag_is_the_initial_tier()
    {
        var facts = new CustomerHistory().Profile(keyAccount: true, daysAgo: 30).WithSeats().HeavyUse().GoodService().Facts();

        var health = HealthEvaluation.Evaluate(facts, ScoringModel.Default, s_asOf);

        Assert.Equal(CustomerTier.KeyAccount, health.Tier);
        Assert.Equal(0.7, health.GroupWeight("outcome"), 3);
        Assert.Equal(CustomerTier.Standard, facts.TierAt(CustomerHistory.DaysAgo(31)));
    }

    [Fact]
    public void Once_lifecycle_assigned_a_tier_the_profile_flag_no_longer_decides_it()
    {
        var facts = new CustomerHistory().Profile(keyAccount: true, daysAgo: 30).WithSeats().HeavyUse().GoodService().Facts();
        facts.RecordTier("tier-1", CustomerTier.Standard, CustomerHistory.DaysAgo(10));

        var health = HealthEvaluation.Evaluate(facts, ScoringModel.Default, s_asOf);

        Assert.Equal(CustomerTier.Standard, health.Tier);
        Assert.False(health.KeyAccount);
        Assert.Equal(0.8, health.GroupWeight("outcome"), 3);
        Assert.Equal(CustomerTier.KeyAccount, facts.TierAt(CustomerHistory.DaysAgo(11)));
    }

    [Fact]
    public void A_late_tier_change_does_not_override_a_newer_one_and_a_redelivered_one_is_kept_once()
    {
        var facts = ActiveFacts();
        facts.RecordTier("tier-2", CustomerTier.HighPotential, CustomerHistory.DaysAgo(2));
        facts.RecordTier("tier-1", CustomerTier.KeyAccount, CustomerHistory.DaysAgo(20));
        facts.RecordTier("tier-2", CustomerTier.HighPotential, CustomerHistory.DaysAgo(2));

        Assert.Equal(CustomerTier.HighPotential, facts.TierAt(s_asOf));
        Assert.Equal(CustomerTier.KeyAccount, facts.TierAt(CustomerHistory.DaysAgo(3)));
        Assert.Equal(2, facts.Tiers.Count);
    }

    [Fact]
    public void Tier_and_stage_are_not_facts_about_use()
    {
        var facts = new CustomerFacts { Id = "acme" };
        facts.RecordTier("tier-1", CustomerTier.KeyAccount, s_asOf);
        facts.RecordStage("stage-1", LifecycleStage.Mature, s_asOf);

        Assert.Null(facts.FirstOccurredAt);
        Assert.Null(facts.LatestOccurredAt);
    }

    [Fact]
    public void Pruning_keeps_the_tier_and_stage_still_in_force()
    {
        var history = new CustomerHistory().WithSeats(paid: 10).Use("u-1", UserRole.Operator, "message.sent", daysAgo: 1);
        var facts = history.Facts();
        facts.RecordTier("tier-1", CustomerTier.KeyAccount, CustomerHistory.DaysAgo(700));
        facts.RecordTier("tier-2", CustomerTier.HighPotential, CustomerHistory.DaysAgo(600));
        facts.RecordStage("stage-1", LifecycleStage.Onboarding, CustomerHistory.DaysAgo(700));
        facts.RecordStage("stage-2", LifecycleStage.Mature, CustomerHistory.DaysAgo(650));

        facts.Prune();

        Assert.Equal(["tier-2"], facts.Tiers.Select(t => t.EventId));
        Assert.Equal(["stage-2"], facts.Stages.Select(s => s.EventId));
        Assert.Equal(CustomerTier.HighPotential, facts.TierAt(s_asOf));
        Assert.Equal(LifecycleStage.Mature, facts.StageAt(s_asOf));
    }
}
