using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>When a new result is worth publishing, and what it says to the CSM.</summary>
public class PublicationTests
{
    private static readonly HealthResult s_green = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health();

    [Fact]
    public void The_first_result_is_always_published()
    {
        Assert.True(s_green.IsSignificantChangeFrom(null, ScoringModel.Default));
    }

    [Fact]
    public void A_band_change_is_published_even_when_the_score_barely_moves()
    {
        var previous = s_green with { Band = HealthBand.Yellow, Score = s_green.Score - 1 };

        Assert.True(s_green.IsSignificantChangeFrom(previous, ScoringModel.Default));
    }

    [Fact]
    public void A_quadrant_change_is_published()
    {
        var previous = s_green with { Quadrant = Quadrant.Q3 };

        Assert.True(s_green.IsSignificantChangeFrom(previous, ScoringModel.Default));
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(-5, true)]
    [InlineData(4.9, false)]
    [InlineData(0, false)]
    public void Within_the_same_band_and_quadrant_a_move_of_the_publish_margin_is_published(double delta, bool significant)
    {
        var previous = s_green with { Score = s_green.Score - delta };

        Assert.Equal(significant, s_green.IsSignificantChangeFrom(previous, ScoringModel.Default));
    }

    [Fact]
    public void The_publish_margin_is_configuration()
    {
        var previous = s_green with { Score = s_green.Score - 3 };

        Assert.True(s_green.IsSignificantChangeFrom(previous, ScoringModel.Default with { PublishMargin = 2 }));
    }

    [Fact]
    public void Top_reasons_of_a_grudging_customer_name_its_complaints()
    {
        var health = new CustomerHistory().WithSeats().HeavyUse().BadService().Health();

        var reasons = health.TopReasons(3);

        Assert.Equal(3, reasons.Count);
        Assert.Contains(reasons, r => r.StartsWith("nps: NPS -100", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("first response time: 0 of 4 tickets", StringComparison.Ordinal));
    }

    [Fact]
    public void Top_reasons_of_an_unsuccessful_customer_name_its_missing_usage()
    {
        var health = new CustomerHistory().WithSeats().LittleUse().GoodService().Health();

        Assert.Contains(health.TopReasons(), r => r.StartsWith("core feature usage: 0 of 40 paid seats", StringComparison.Ordinal));
    }

    [Fact]
    public void The_change_event_carries_the_result_and_its_top_reasons()
    {
        var changed = HealthEvaluated.From("acme", s_green, significant: true).ToHealthChanged("evt-1");

        Assert.Equal("acme", changed.CustomerId);
        Assert.Equal((decimal)s_green.Score, changed.Score);
        Assert.Equal(s_green.Band, changed.Band);
        Assert.Equal(s_green.Quadrant, changed.Quadrant);
        Assert.Equal(s_green.ModelVersion, changed.ModelVersion);
        Assert.Equal(s_green.TopReasons(), changed.TopReasons);
    }

    [Fact]
    public void The_http_response_carries_every_contribution()
    {
        var response = HealthEvaluated.From("acme", s_green, significant: true).ToResponse();

        Assert.Equal(
            s_green.Contributions.Select(c => (c.Measure, c.Group, c.Raw, c.Normalized, c.Weight, c.Points, c.Reason)),
            response.Contributions.Select(c => (c.Measure, c.Group, c.Raw, c.Normalized, c.Weight, c.Points, c.Reason)));
        Assert.Equal(s_green.Score, response.Score);
        Assert.Equal(CustomerHistory.AsOf, response.EvaluatedAt);
    }
}
