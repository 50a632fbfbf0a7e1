using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>
/// CustomerHealthChanged carries the raw readings Renewal's risk weighs, and a move of one of them is published even
/// when band, quadrant and score stay put.
/// </summary>
public class RiskReadingsPublicationTests
{
    private static readonly ScoringModel s_model = ScoringModel.Default;
    private static readonly HealthResult s_green = new CustomerHistory().WithSeats().HeavyUse().GoodService().Health();

    private static HealthResult WithRaw(HealthResult result, string measure, double? raw) => result with
    {
        Contributions = result.Contributions.Select(c => c.Measure == measure ? c with { Raw = raw } : c).ToList(),
    };

    [Fact]
    public void The_published_health_carries_the_readings_of_HealthScore_s_measures()
    {
        var evaluated = CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!;

        var readings = evaluated.ToHealthChanged("e-1").Readings!;

        double? Raw(string measure) => s_green.Contributions.Single(c => c.Measure == measure).Raw;
        Assert.Equal(Raw(MeasureNames.SeatActivation), readings.SeatActivation);
        Assert.Equal(Raw(MeasureNames.MonthlyActiveUsers), readings.MonthlyActiveUsers);
        Assert.Equal(Raw(MeasureNames.IncidentLoad), readings.IncidentTickets);
        Assert.Equal(Raw(MeasureNames.FirstResponseTime), readings.FirstResponseSlaMet);
        Assert.Equal(Raw(MeasureNames.ResolutionTime), readings.ResolutionSlaMet);
    }

    [Fact]
    public void A_seat_activation_move_alone_is_published_and_a_tiny_one_is_not()
    {
        var first = CustomerHealthEvaluator.Decide(null, "acme", s_green, s_model)!;
        var health = new CustomerHealth { Id = "acme" };
        health.Apply(first);
        var activation = s_green.Contributions.Single(c => c.Measure == MeasureNames.SeatActivation).Raw!.Value;

        var moved = CustomerHealthEvaluator.Decide(health, "acme", WithRaw(s_green, MeasureNames.SeatActivation, activation - 0.2), s_model)!;
        var tiny = CustomerHealthEvaluator.Decide(health, "acme", WithRaw(s_green, MeasureNames.SeatActivation, activation - 0.01), s_model)!;

        Assert.True(moved.Significant);
        Assert.False(tiny.Significant);
    }

    [Fact]
    public void Readings_move_by_their_margins_or_by_appearing()
    {
        var before = new HealthReadings { SeatActivation = 0.8, MonthlyActiveUsers = 0.7, IncidentTickets = 0, FirstResponseSlaMet = 95, ResolutionSlaMet = 90 };

        Assert.False(HealthEvaluated.RiskReadingsMoved(before, before));
        Assert.False(HealthEvaluated.RiskReadingsMoved(before with { FirstResponseSlaMet = 92 }, before));
        Assert.True(HealthEvaluated.RiskReadingsMoved(before with { FirstResponseSlaMet = 80 }, before));
        Assert.True(HealthEvaluated.RiskReadingsMoved(before with { IncidentTickets = 1 }, before));
        Assert.True(HealthEvaluated.RiskReadingsMoved(before with { MonthlyActiveUsers = 0.6 }, before));
        Assert.True(HealthEvaluated.RiskReadingsMoved(before with { ResolutionSlaMet = null }, before));
        Assert.False(HealthEvaluated.RiskReadingsMoved(before, null));
    }

    [Fact]
    public void Readings_are_null_for_measures_without_data()
    {
        var readings = HealthEvaluated.RiskReadings(Array.Empty<MeasureContribution>());

        Assert.Null(readings.SeatActivation);
        Assert.Null(readings.IncidentTickets);
    }
}
