using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>The versioned scoring model: its defaults and the rules a new version must satisfy.</summary>
public class ScoringModelTests
{
    private static readonly ScoringModel s_default = ScoringModel.Default;

    private static ScoringModel WithMeasure(string name, Func<MeasureDefinition, MeasureDefinition> change) =>
        s_default with { Measures = s_default.Measures.Select(m => m.Name == name ? change(m) : m).ToList() };

    [Fact]
    public void The_default_model_is_valid()
    {
        Assert.Empty(s_default.Validate());
    }

    [Fact]
    public void The_default_model_has_the_documented_shares_and_thresholds()
    {
        Assert.Equal(1, s_default.Version);
        Assert.Equal(0.8, s_default.SharesFor(CustomerTier.Standard).Outcome);
        Assert.Equal(0.7, s_default.SharesFor(CustomerTier.KeyAccount).Outcome);
        Assert.Equal((70, 40), (s_default.GreenFrom, s_default.YellowFrom));
        Assert.Equal((60, 60), (s_default.OutcomeHighFrom, s_default.ExperienceHighFrom));
        Assert.Equal((30, 5, 15), (s_default.TrendDays, s_default.TrendThreshold, s_default.SteepDeclineThreshold));
        Assert.Equal(5, s_default.PublishMargin);
        Assert.Equal(400, s_default.RetentionDays);
        Assert.Equal(new[] { "message.sent" }, s_default.CoreFeatures);
        Assert.Equal(MeasureNames.All.Order(), s_default.Measures.Select(m => m.Name).Order());
    }

    [Fact]
    public void Default_service_levels_are_tightest_for_incidents_then_operational_questions_then_requests()
    {
        var incident = s_default.ServiceLevelFor(TicketCategory.Incident);
        var operational = s_default.ServiceLevelFor(TicketCategory.Operational);
        var request = s_default.ServiceLevelFor(TicketCategory.Request);

        Assert.True(incident.FirstResponseHours < operational.FirstResponseHours && operational.FirstResponseHours < request.FirstResponseHours);
        Assert.True(incident.ResolutionHours < operational.ResolutionHours && operational.ResolutionHours < request.ResolutionHours);
    }

    [Fact]
    public void A_negative_weight_is_rejected()
    {
        var errors = WithMeasure(MeasureNames.Nps, m => m with { Weight = -0.1 }).Validate();

        Assert.Contains(errors, e => e.Contains("Measure nps: Weight must not be negative", StringComparison.Ordinal));
    }

    [Fact]
    public void Outcome_weights_must_sum_to_one_in_every_stage()
    {
        var errors = WithMeasure(MeasureNames.DailyActiveUsers, m => m with
        {
            StageWeights = new Dictionary<LifecycleStage, double> { [LifecycleStage.Onboarding] = 0.5, [LifecycleStage.Adoption] = 0.10 },
        }).Validate();

        var error = Assert.Single(errors);
        Assert.Contains("Outcome measure weights for stage Onboarding must sum to 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_account_outcome_share_may_not_exceed_70_percent()
    {
        var model = s_default with
        {
            GroupShares = [.. s_default.GroupShares.Where(s => s.Tier != CustomerTier.KeyAccount), new GroupShare { Tier = CustomerTier.KeyAccount, Outcome = 0.8, Experience = 0.2 }],
        };

        Assert.Contains(model.Validate(), e => e.Contains("key-account outcome share must be at most 0.7", StringComparison.Ordinal));
    }

    [Fact]
    public void Group_shares_must_sum_to_one_for_every_tier()
    {
        var model = s_default with
        {
            GroupShares = [.. s_default.GroupShares.Where(s => s.Tier != CustomerTier.Standard), new GroupShare { Tier = CustomerTier.Standard, Outcome = 0.8, Experience = 0.3 }],
        };

        Assert.Contains(model.Validate(), e => e.Contains("GroupShares for Standard must sum to 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_tier_needs_its_shares()
    {
        var model = s_default with { GroupShares = [.. s_default.GroupShares.Where(s => s.Tier != CustomerTier.HighPotential)] };

        Assert.Contains(model.Validate(), e => e.Contains("exactly one entry for tier HighPotential", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_and_duplicate_measures_are_rejected()
    {
        var model = s_default with
        {
            Measures = [.. s_default.Measures, s_default.Measures[0], s_default.Measures[0] with { Name = "vibes" }],
        };

        var errors = model.Validate();

        Assert.Contains(errors, e => e.Contains("Measure vibes is unknown", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Measure core_feature_usage is defined more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Band_thresholds_must_be_ordered()
    {
        Assert.Contains((s_default with { YellowFrom = 75 }).Validate(), e => e.Contains("Band thresholds", StringComparison.Ordinal));
    }

    [Fact]
    public void Service_levels_must_respect_urgency_order()
    {
        var model = s_default with
        {
            ServiceLevels = [.. s_default.ServiceLevels.Select(l => l.Category == TicketCategory.Incident ? l with { FirstResponseHours = 48, ResolutionHours = 96 } : l)],
        };

        Assert.Contains(model.Validate(), e => e.Contains("tightest for incidents", StringComparison.Ordinal));
    }

    [Fact]
    public void A_window_longer_than_the_retention_allows_is_rejected()
    {
        var errors = WithMeasure(MeasureNames.Advocacy, m => m with { WindowDays = 390 }).Validate();

        Assert.Contains(errors, e => e.Contains("Measure advocacy: window 390 days", StringComparison.Ordinal));
    }

    [Fact]
    public void A_measure_needs_distinct_floor_and_target()
    {
        var errors = WithMeasure(MeasureNames.Csat, m => m with { Floor = 3, Target = 3 }).Validate();

        Assert.Contains(errors, e => e.Contains("Measure csat: Floor and Target must be finite and different", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluating_with_an_invalid_model_is_refused()
    {
        var invalid = s_default with { PublishMargin = 0 };

        var error = Assert.Throws<ArgumentException>(() => new CustomerHistory().WithSeats().Health(model: invalid));
        Assert.Contains("PublishMargin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_round_trips_through_json_and_scores_the_same()
    {
        var json = JsonSerializer.Serialize(s_default);
        var restored = JsonSerializer.Deserialize<ScoringModel>(json)!;
        var history = new CustomerHistory().WithSeats().HeavyUse().GoodService();

        Assert.Empty(restored.Validate());
        Assert.Contains("\"outcome\"", json, StringComparison.Ordinal);
        Assert.Equal(history.Health(stage: LifecycleStage.Onboarding).Contributions, history.Health(stage: LifecycleStage.Onboarding, model: restored).Contributions);
    }
}
