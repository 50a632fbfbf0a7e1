using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

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
    public void A_copy_holds_every_fact_of_the_original_and_shares_nothing_a_later_fact_changes()
    {
        var original = new CustomerHistory().WithSeats().HeavyUse().GoodService().Profile(keyAccount: true)
            .Use("u-9", UserRole.Finance, "report.exported", daysAgo: 2).Use("u-9", null, "api.called", daysAgo: 2, quantity: 7)
            .Ticket("T-9", TicketCategory.Incident, TicketPriority.High, 4, TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(5))
            .Survey(SurveyKind.Csat, 4, daysAgo: 6, "u-9").Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 50, "p-1")
            .Referral(20).Feedback(10, 15).ContractSigned("C-1", 12000m, 10, 300).ContractAmended("C-1", 15000m, 12, 100)
            .ContractCancelled("C-0", 30)
            .Facts();
        original.RecordTier("tier-1", CustomerTier.HighPotential, CustomerHistory.DaysAgo(3));
        original.RecordStage("stage-1", LifecycleStage.Mature, CustomerHistory.DaysAgo(8));
        original.ChangeRetention(200);
        var json = JsonSerializer.Serialize(original);

        var copy = original.Copy();

        Assert.Equal(json, JsonSerializer.Serialize(copy));
        // Facts recorded into the copy, in every kind of container it holds, leave the original as it was.
        new CustomerHistory().Use("u-9", UserRole.Executive, "search.used", daysAgo: 2, quantity: 3)
            .Use("u-new", UserRole.Admin, "report.exported", daysAgo: 2)
            .Ticket("T-9", TicketCategory.Incident, TicketPriority.High, 4, TimeSpan.FromMinutes(10), TimeSpan.FromHours(2), TimeSpan.FromHours(4))
            .Survey(SurveyKind.Nps, 3, daysAgo: 1).Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, 1, "p-1")
            .Referral(1).Feedback(-20, 1).ContractSigned("C-2", 20000m, 20, 1).Seats(paid: 50, daysAgo: 1).Profile(keyAccount: false, daysAgo: 1)
            .Events.ToList().ForEach(copy.Record);
        copy.RecordTier("tier-2", CustomerTier.Standard, CustomerHistory.DaysAgo(1));
        copy.RecordStage("stage-2", LifecycleStage.Renewal, CustomerHistory.DaysAgo(1));
        copy.ChangeRetention(30);
        Assert.NotEqual(json, JsonSerializer.Serialize(copy));
        Assert.Equal(json, JsonSerializer.Serialize(original));
    }

    [Fact]
    public void Recording_into_the_original_after_a_copy_leaves_the_copy_alone_and_each_ends_as_if_built_alone()
    {
        // The service records a page into the copy, then Marten applies the same page to the fetched original.
        var history = new CustomerHistory().WithSeats().HeavyUse().GoodService()
            .Ticket("T-9", TicketCategory.Incident, TicketPriority.High, 4, TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(5));
        var page = new CustomerHistory().Use("u-1", UserRole.Admin, "report.exported", daysAgo: 2, quantity: 4)
            .Use("u-new", UserRole.Finance, "search.used", daysAgo: 1)
            .Ticket("T-9", TicketCategory.Incident, TicketPriority.High, 4, TimeSpan.FromMinutes(10), TimeSpan.FromHours(2), TimeSpan.FromHours(4))
            .Events.ToList();
        var original = history.Facts();
        var before = JsonSerializer.Serialize(original);
        var expected = JsonSerializer.Serialize(CustomerHistory.Roll(page, history.Facts()));

        var copy = original.Copy();
        var copied = JsonSerializer.Serialize(copy);
        page.ForEach(original.Record);

        Assert.Equal(before, copied);
        Assert.Equal(before, JsonSerializer.Serialize(copy));
        Assert.Equal(expected, JsonSerializer.Serialize(original));
        page.ForEach(copy.Record);
        Assert.Equal(expected, JsonSerializer.Serialize(copy));
        Assert.Equal(expected, JsonSerializer.Serialize(original));
    }

    [Fact]
    public void A_copy_of_a_copy_shares_nothing_any_of_the_three_changes()
    {
        var first = new CustomerHistory().WithSeats().HeavyUse().Facts();
        var json = JsonSerializer.Serialize(first);
        var second = first.Copy();
        var third = second.Copy();
        var use = new CustomerHistory().Use("u-1", UserRole.Executive, "report.viewed", daysAgo: 3, quantity: 9).Events.Single();

        second.Record(use);

        Assert.Equal(json, JsonSerializer.Serialize(first));
        Assert.Equal(json, JsonSerializer.Serialize(third));
        Assert.NotEqual(json, JsonSerializer.Serialize(second));
        third.Record(use);
        first.Record(use);
        Assert.Equal(JsonSerializer.Serialize(second), JsonSerializer.Serialize(third));
        Assert.Equal(JsonSerializer.Serialize(second), JsonSerializer.Serialize(first));
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
