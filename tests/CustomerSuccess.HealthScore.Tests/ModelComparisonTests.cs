using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Simulation;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>A candidate model next to the current one: per customer and in summary.</summary>
public class ModelComparisonTests
{
    [Fact]
    public void A_customer_is_compared_on_score_band_and_quadrant()
    {
        var history = new CustomerHistory().WithSeats().HeavyUse().GoodService();
        var current = history.Health();
        var candidate = history.Health(model: ScoringModel.Default with { Version = 2, GreenFrom = 99 });

        var compared = ModelComparison.Compare("acme", current, candidate);

        Assert.Equal(0, compared.ScoreDelta);
        Assert.True(compared.BandChanged);
        Assert.False(compared.QuadrantChanged);
        Assert.Equal((HealthBand.Green, HealthBand.Yellow), (compared.Current.Band, compared.Candidate.Band));
        Assert.Equal((1, 2), (compared.Current.ModelVersion, compared.Candidate.ModelVersion));
    }

    [Fact]
    public void The_summary_counts_changes_and_averages_the_score_moves()
    {
        static SimulatedHealth Health(double score, HealthBand band, Quadrant quadrant) => new(score, 0, 0, band, quadrant, 1);
        CustomerSimulation[] customers =
        [
            new("a", Health(72, HealthBand.Green, Quadrant.Q1), Health(66, HealthBand.Yellow, Quadrant.Q1), -6, true, false),
            new("b", Health(50, HealthBand.Yellow, Quadrant.Q3), Health(52, HealthBand.Yellow, Quadrant.Q4), 2, false, true),
            new("c", Health(75, HealthBand.Green, Quadrant.Q1), Health(68, HealthBand.Yellow, Quadrant.Q1), -7, true, false),
        ];

        var summary = ModelComparison.Summarize(customers);

        Assert.Equal((3, 2, 1), (summary.Customers, summary.BandChanges, summary.QuadrantChanges));
        Assert.Equal(-3.67, summary.MeanScoreDelta);
        Assert.Equal(5, summary.MeanAbsoluteScoreDelta);
        Assert.Equal([new BandTransition(HealthBand.Green, HealthBand.Yellow, 2)], summary.BandTransitions);
    }

    [Fact]
    public void An_empty_simulation_summarises_to_zeros()
    {
        var summary = ModelComparison.Summarize([]);

        Assert.Equal(0, summary.Customers);
        Assert.Equal(0, summary.MeanScoreDelta);
        Assert.Empty(summary.BandTransitions);
    }
}
