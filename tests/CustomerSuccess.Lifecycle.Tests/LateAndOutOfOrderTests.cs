using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

public sealed class LateAndOutOfOrderTests
{
    private static Customer Story() => new Customer()
        .Signed(0, 365).Profiled(1, handoverComplete: true).Reached(Milestone.FirstValue, 30).Health(31, HealthBand.Green)
        .Renewed(300, 730).Cancelled(500, "moved to a competitor", "Initrode").Signed(600, 965, contractId: "c-2");

    [Fact]
    public void The_same_facts_in_any_arrival_order_give_the_same_lifecycle()
    {
        var story = Story();
        var expected = story.On(700);
        var random = new Random(42);
        for (var run = 0; run < 20; run++)
        {
            var shuffled = LifecycleHistory.From(story.Id, story.Events.OrderBy(_ => random.Next()));
            var view = LifecycleTimeline.Derive(shuffled, story.Settings, Day(700));

            Assert.Equal(expected.StageHistory, view.StageHistory);
            Assert.Equal(expected.Milestones, view.Milestones);
            Assert.Equal(expected.TimesWonBack, view.TimesWonBack);
        }
    }

    [Fact]
    public void A_late_first_value_takes_its_place_in_the_past_and_the_history_is_derived_again()
    {
        var customer = new Customer().Signed(0, 365).Health(10, HealthBand.Green);
        Assert.Equal(LifecycleStage.Onboarding, customer.On(100).Stage);

        customer.Reached(Milestone.FirstValue, 20); // arrives on day 100, happened on day 20
        var view = customer.On(100);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal([Day(0), Day(20), Day(50)], view.StageHistory.Select(s => s.Since));
    }

    [Fact]
    public void A_late_cancellation_churns_the_customer_from_its_effective_date()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 20);
        customer.Cancelled(effectiveOn: 60, occurredOn: 90);

        var view = customer.On(100);
        Assert.Equal(LifecycleStage.Churned, view.Stage);
        Assert.Equal(Day(60), view.StageSince);
        Assert.Equal(Day(60), view.StageHistory[1].Until);
    }

    [Fact]
    public void A_late_renewal_undoes_a_lapse_that_never_happened()
    {
        var customer = new Customer().Signed(0, 365);
        Assert.Equal(LifecycleStage.Churned, customer.On(420).Stage);

        customer.Renewed(370, 735);
        var view = customer.On(420);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.DoesNotContain(view.StageHistory, s => s.Stage == LifecycleStage.Churned);
    }

    [Fact]
    public void Health_reported_out_of_order_counts_at_its_evaluation_instant()
    {
        var ordered = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10)
            .Health(10, HealthBand.Green).Health(25, HealthBand.Red).Health(26, HealthBand.Green);
        var reversed = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10)
            .Health(26, HealthBand.Green).Health(25, HealthBand.Red).Health(10, HealthBand.Green);

        Assert.Equal(Day(56), ordered.On(60).StageSince);
        Assert.Equal(ordered.On(60).StageHistory, reversed.On(60).StageHistory);
    }

    [Fact]
    public void A_fact_in_the_future_counts_only_once_its_time_has_come()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 50);

        Assert.Equal(LifecycleStage.Onboarding, customer.On(40).Stage);
        Assert.Equal(LifecycleStage.Adoption, customer.On(51).Stage);
    }
}
