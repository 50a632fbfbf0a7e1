using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Scoring;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>Copies of the rollup (what the service records into) and the model-driven retention.</summary>
public class FactsCopyAndRetentionTests
{
    [Fact]
    public void A_copy_scores_exactly_like_the_original_and_recording_into_it_leaves_the_original_alone()
    {
        var original = new CustomerHistory().WithSeats().HeavyUse().GoodService().Profile(keyAccount: true).Facts();
        original.RecordTier("tier-1", CustomerTier.HighPotential, CustomerHistory.DaysAgo(3));
        var before = HealthEvaluation.Evaluate(original, ScoringModel.Default, CustomerHistory.AsOf);

        var copy = original.Copy();
        copy.Record(new UsageRecorded
        {
            Feature = "message.sent", UserId = "user-99", Quantity = 50, EventId = "extra", CustomerId = "acme",
            OccurredAt = CustomerHistory.DaysAgo(1), ReceivedAt = CustomerHistory.AsOf,
        });

        Assert.Equal(before.Contributions, HealthEvaluation.Evaluate(original, ScoringModel.Default, CustomerHistory.AsOf).Contributions);
        Assert.Equal(before.Contributions, HealthEvaluation.Evaluate(original.Copy(), ScoringModel.Default, CustomerHistory.AsOf).Contributions);
        Assert.NotEqual(before.Contribution(MeasureNames.OutputIndex).Raw, HealthEvaluation.Evaluate(copy, ScoringModel.Default, CustomerHistory.AsOf).Contribution(MeasureNames.OutputIndex).Raw);
        Assert.Equal(original.Tiers.Count, copy.Tiers.Count);
    }

    [Fact]
    public void A_shorter_retention_prunes_at_once_and_a_longer_one_keeps_more_from_then_on()
    {
        var facts = new CustomerHistory().WithSeats(paid: 10, assigned: 10)
            .Use("u-1", UserRole.Operator, "message.sent", daysAgo: 200)
            .Use("u-1", UserRole.Operator, "message.sent", daysAgo: 1)
            .Facts();

        facts.ChangeRetention(100);

        Assert.Equal(100, facts.RetentionDays);
        Assert.Single(facts.UsageDays);
        Assert.Single(facts.Seats); // the seat report from 200 days ago is still in force
        Assert.Throws<ArgumentOutOfRangeException>(() => facts.ChangeRetention(0));
    }
}
