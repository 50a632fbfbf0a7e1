using CustomerSuccess.Contracts;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Publishing;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.TiersAndStages;
using JasperFx.Events;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>
/// What the service appends after an evaluation and what it publishes: pure decisions over the customer's health so
/// far, without a database or a broker.
/// </summary>
public class HealthEvaluatedDecisionTests
{
    private static readonly ScoringModel s_model = ScoringModel.Default;
    private static readonly HealthResult s_green = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health();

    private static CustomerHealth After(params HealthEvaluated[] evaluations)
    {
        var health = new CustomerHealth { Id = "acme" };
        foreach (var evaluated in evaluations)
        {
            health.Apply(evaluated);
        }

        return health;
    }

    [Fact]
    public void The_first_evaluation_is_appended_and_significant()
    {
        var first = CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model);

        Assert.NotNull(first);
        Assert.True(first.Significant);
        Assert.Equal(s_green.Score, first.Score);
        Assert.Equal(s_green.TopReasons(), first.TopReasons);
    }

    [Fact]
    public void The_same_result_at_a_later_instant_appends_nothing()
    {
        var health = After(CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!);

        Assert.Null(CustomerHealthEvaluator.Decide(health, "acme", s_green with { EvaluatedAt = s_green.EvaluatedAt.AddDays(1) }, s_model));
    }

    [Fact]
    public void A_slow_drift_is_stored_each_step_and_published_once_it_adds_up_to_the_margin()
    {
        var first = CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!;
        var step1 = CustomerHealthEvaluator.Decide(After(first), "acme", s_green with { Score = s_green.Score - 3 }, s_model)!;
        var step2 = CustomerHealthEvaluator.Decide(After(first, step1), "acme", s_green with { Score = s_green.Score - 6 }, s_model)!;

        Assert.False(step1.Significant);
        Assert.True(step2.Significant, "6 points from the last published result, though only 3 from the last stored one");
        Assert.Same(step2, After(first, step1, step2).LastSignificant);
    }

    [Fact]
    public void A_trend_or_tier_change_alone_is_stored_but_not_published()
    {
        var first = CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!;

        var trend = CustomerHealthEvaluator.Decide(After(first), "acme", s_green with { Trend = HealthTrend.Declining }, s_model);
        var tier = CustomerHealthEvaluator.Decide(After(first), "acme", s_green with { Tier = CustomerTier.HighPotential }, s_model);

        Assert.False(trend!.Significant);
        Assert.False(tier!.Significant);
        Assert.Equal(CustomerTier.HighPotential, tier.Tier);
    }

    [Fact]
    public void A_band_change_is_published_whatever_the_margin()
    {
        var first = CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!;

        var yellow = CustomerHealthEvaluator.Decide(After(first), "acme", s_green with { Band = HealthBand.Yellow, Score = s_green.Score - 0.5 }, s_model);

        Assert.True(yellow!.Significant);
    }

    [Fact]
    public void The_relay_publishes_only_significant_evaluations_with_their_event_ids_in_order()
    {
        var first = CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!;
        var quiet = first with { Significant = false, Score = first.Score - 1 };
        var moved = first with { Band = HealthBand.Yellow };
        IEvent[] page =
        [
            new Event<HealthEvaluated>(first) { Id = Guid.NewGuid() },
            new Event<HealthEvaluated>(quiet) { Id = Guid.NewGuid() },
            new Event<HealthEvaluated>(moved) { Id = Guid.NewGuid() },
        ];

        var changes = HealthChangeRelay.HealthChanges(page).ToList();

        Assert.Equal([page[0].Id.ToString(), page[2].Id.ToString()], changes.Select(c => c.EventId));
        Assert.Equal([HealthBand.Green, HealthBand.Yellow], changes.Select(c => c.Band));
        Assert.Equal((decimal)first.Score, changes[0].Score);
        Assert.Equal(first.TopReasons, changes[0].TopReasons);
    }

    [Fact]
    public void The_projection_records_facts_tiers_stages_and_retention_and_ignores_evaluations()
    {
        var facts = new CustomerFacts { Id = "acme" };

        CustomerFactsProjection.Record(facts, new SeatsReported { Paid = 5, Free = 0, Assigned = 5, EventId = "s-1", CustomerId = "acme", OccurredAt = CustomerHistory.DaysAgo(3), ReceivedAt = CustomerHistory.AsOf });
        CustomerFactsProjection.Record(facts, new TierRecorded("t-1", CustomerTier.KeyAccount, true, CustomerHistory.DaysAgo(2), CustomerHistory.DaysAgo(2)));
        CustomerFactsProjection.Record(facts, new StageRecorded("g-1", LifecycleStage.Mature, CustomerHistory.DaysAgo(2), CustomerHistory.DaysAgo(2)));
        CustomerFactsProjection.Record(facts, new FactsRetentionChanged(200));
        CustomerFactsProjection.Record(facts, CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!);

        Assert.Single(facts.Seats);
        Assert.Equal(CustomerTier.KeyAccount, facts.TierAt(CustomerHistory.AsOf));
        Assert.Equal(LifecycleStage.Mature, facts.StageAt(CustomerHistory.AsOf));
        Assert.Equal(200, facts.RetentionDays);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("2026-01-02T00:00:00Z", "2026-01-01T12:00:00Z")]
    public void A_lifecycle_change_counts_from_its_instant_but_never_before_it_was_heard_of(string changedAt, string expected)
    {
        var now = DateTimeOffset.Parse("2026-01-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LifecycleSignals.EffectiveAt(DateTimeOffset.Parse(changedAt, System.Globalization.CultureInfo.InvariantCulture), now));
    }

    [Theory]
    [InlineData("key_account", CustomerTier.KeyAccount)]
    [InlineData("high_potential", CustomerTier.HighPotential)]
    [InlineData("standard", CustomerTier.Standard)]
    public void Filters_read_the_public_enum_names(string text, CustomerTier tier)
    {
        Assert.True(WireName.TryParse<CustomerTier>(text, out var parsed));
        Assert.Equal(tier, parsed);
    }

    [Theory]
    [InlineData("KeyAccount")]
    [InlineData("HIGH_POTENTIAL")]
    [InlineData(" standard ")]
    [InlineData("2")]
    [InlineData("gold")]
    public void Filters_reject_anything_but_the_public_names(string text)
    {
        Assert.False(WireName.TryParse<CustomerTier>(text, out _));
        Assert.Equal(["standard", "high_potential", "key_account"], WireName.All<CustomerTier>());
    }
}
