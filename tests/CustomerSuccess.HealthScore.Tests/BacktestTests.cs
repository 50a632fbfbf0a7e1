using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>How well a model separates customers who renewed from those who churned, scored some days before.</summary>
public class BacktestTests
{
    [Fact]
    public void Renewed_customers_all_outscoring_churned_ones_separate_perfectly()
    {
        Assert.Equal(1.0, ModelBacktest.Auc([80, 90, 70], [20, 30]));
        Assert.Equal(0.0, ModelBacktest.Auc([20, 30], [80, 90, 70]));
    }

    [Fact]
    public void Ties_count_half_and_identical_scores_are_chance()
    {
        Assert.Equal(0.5, ModelBacktest.Auc([50, 50], [50, 50, 50]));
        // pairs: (60>40) (60>50) (50>40) (50=50 half) → 3.5 of 4
        Assert.Equal(0.875, ModelBacktest.Auc([60, 50], [40, 50]));
    }

    [Fact]
    public void Without_both_groups_there_is_nothing_to_separate()
    {
        Assert.Null(ModelBacktest.Auc([], [10]));
        Assert.Null(ModelBacktest.Auc([10], []));
        var separation = ModelBacktest.Separation(3, [new BacktestSample("a", ContractOutcome.Renewed, default, default, 70)]);
        Assert.Equal(new BacktestSeparation(3, 70, null, null), separation);
    }

    [Fact]
    public void Renewals_and_cancellations_are_the_outcomes_up_to_the_instant()
    {
        var facts = new CustomerHistory()
            .ContractSigned("c-1", 12_000, 10, daysAgo: 400)
            .Add(new ContractRenewed { ContractId = "c-1", Arr = 12_000, EndsOn = new DateOnly(2027, 11, 1), EventId = "r-1", CustomerId = "acme", OccurredAt = CustomerHistory.DaysAgo(40), ReceivedAt = CustomerHistory.AsOf })
            .ContractCancelled("c-1", daysAgo: 5)
            .Facts();

        var outcomes = ModelBacktest.OutcomesOf(facts, CustomerHistory.DaysAgo(10));

        Assert.Equal([(ContractOutcome.Renewed, CustomerHistory.DaysAgo(40))], outcomes);
        Assert.Equal(2, ModelBacktest.OutcomesOf(facts, CustomerHistory.AsOf).Count);
    }

    [Fact]
    public void Each_outcome_is_scored_days_before_it_and_skipped_when_nothing_was_known_then()
    {
        var healthy = new CustomerHistory("healthy").WithSeats(paid: 30).HeavyUse(fromDaysAgo: 150, toDaysAgo: 95)
            .Add(new ContractRenewed { ContractId = "c-1", Arr = 1, EndsOn = new DateOnly(2027, 11, 1), EventId = "r-1", CustomerId = "healthy", OccurredAt = CustomerHistory.DaysAgo(5), ReceivedAt = CustomerHistory.AsOf })
            .Facts();
        var newcomer = new CustomerHistory("newcomer").Seats(10, daysAgo: 30).ContractCancelled("c-1", daysAgo: 5).Facts();

        var scored = ModelBacktest.Score(healthy, ScoringModel.Default, daysBefore: 90, CustomerHistory.AsOf);

        var sample = Assert.Single(scored);
        Assert.Equal(ContractOutcome.Renewed, sample.Outcome);
        Assert.Equal(CustomerHistory.DaysAgo(95), sample.ScoredAt);
        Assert.Equal(HealthEvaluation.Evaluate(healthy, ScoringModel.Default, CustomerHistory.DaysAgo(95)).Score, sample.Score);
        Assert.True(sample.Score >= 70, $"score {sample.Score}");
        Assert.Empty(ModelBacktest.Score(newcomer, ScoringModel.Default, daysBefore: 90, CustomerHistory.AsOf));
    }

    [Fact]
    public void Separation_reports_each_groups_mean_and_the_auc()
    {
        BacktestSample Sample(ContractOutcome outcome, double score) => new("x", outcome, default, default, score);

        var separation = ModelBacktest.Separation(2, [Sample(ContractOutcome.Renewed, 80), Sample(ContractOutcome.Renewed, 61), Sample(ContractOutcome.Churned, 70), Sample(ContractOutcome.Churned, 20)]);

        Assert.Equal(2, separation.ModelVersion);
        Assert.Equal(70.5, separation.MeanRenewedScore);
        Assert.Equal(45, separation.MeanChurnedScore);
        Assert.Equal(0.75, separation.Auc);
    }
}
