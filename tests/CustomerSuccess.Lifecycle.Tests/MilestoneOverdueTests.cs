using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

public sealed class MilestoneOverdueTests
{
    [Fact]
    public void First_value_is_due_90_days_after_the_start_and_overdue_from_the_next_day()
    {
        var customer = new Customer().Signed(0, 365);

        Assert.Equal(Date(90), customer.On(10).FirstValueDueOn);
        Assert.False(customer.On(90.99).FirstValueOverdue);
        Assert.True(customer.On(91).FirstValueOverdue);
    }

    [Fact]
    public void Delivery_is_due_around_three_months_after_the_start()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 20);

        Assert.Equal(Date(90), customer.On(10).DeliveryDueOn);
        Assert.False(customer.On(91).FirstValueOverdue);
        Assert.True(customer.On(91).DeliveryOverdue);
    }

    [Fact]
    public void The_due_periods_are_settings()
    {
        var customer = new Customer().Signed(0, 365);
        customer.Settings.FirstValueDueDays = 30;
        customer.Settings.DeliveryDueDays = 60;

        var view = customer.On(45);
        Assert.True(view.FirstValueOverdue);
        Assert.False(view.DeliveryOverdue);
        Assert.Equal(Date(60), view.DeliveryDueOn);
    }

    [Fact]
    public void Reaching_a_milestone_late_clears_its_overdue_flag()
    {
        var view = new Customer().Signed(0, 365).Reached(Milestone.Delivered, 120).On(121);

        Assert.False(view.DeliveryOverdue);
        Assert.True(view.FirstValueOverdue);
    }

    [Fact]
    public void A_churned_customer_is_not_overdue()
    {
        var view = new Customer().Signed(0, 365).Cancelled(100).On(120);

        Assert.False(view.FirstValueOverdue);
        Assert.False(view.DeliveryOverdue);
    }

    [Fact]
    public void A_won_back_customer_has_new_due_dates_and_its_old_milestones_do_not_count()
    {
        var view = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10).Reached(Milestone.Delivered, 60).Cancelled(200)
            .Signed(300, 665, contractId: "c-2").On(400);

        Assert.Equal(Date(390), view.FirstValueDueOn);
        Assert.True(view.FirstValueOverdue);
        Assert.True(view.DeliveryOverdue);
    }

    [Fact]
    public void A_missing_handover_is_flagged_14_days_after_the_start()
    {
        var customer = new Customer().Profiled(0, handoverComplete: false).Signed(0, 365);

        Assert.False(customer.On(13).HandoverMissing);
        Assert.True(customer.On(14).HandoverMissing);
    }

    [Fact]
    public void A_profile_without_handover_data_counts_as_missing_too()
    {
        Assert.True(new Customer().Profiled(0).Signed(0, 365).On(20).HandoverMissing);
    }

    [Fact]
    public void A_completed_handover_in_the_profile_or_as_a_milestone_clears_the_flag()
    {
        Assert.False(new Customer().Signed(0, 365).Profiled(20, handoverComplete: true).On(30).HandoverMissing);
        Assert.False(new Customer().Signed(0, 365).Reached(Milestone.HandoverCompleted, 20).On(30).HandoverMissing);
    }

    [Fact]
    public void A_routine_profile_update_without_handover_flag_keeps_the_handover_complete()
    {
        var view = new Customer().Signed(0, 365).Profiled(2, handoverComplete: true).Profiled(10, locations: 3).On(30);

        Assert.False(view.HandoverMissing);
        Assert.Equal(3, view.Locations);
    }

    [Fact]
    public void A_profile_that_says_the_handover_is_incomplete_again_raises_the_flag()
    {
        Assert.True(new Customer().Signed(0, 365).Profiled(2, handoverComplete: true).Profiled(10, handoverComplete: false).On(30).HandoverMissing);
    }

    [Fact]
    public void The_daily_run_raises_the_overdue_flag_by_the_passage_of_time_alone_and_once()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 20);

        var published = customer.RunDaily(0, 100).OfType<MilestoneOverdueChanged>().ToList();

        var change = Assert.Single(published);
        Assert.Equal(Milestone.Delivered, change.Milestone);
        Assert.True(change.Overdue);
        Assert.Equal(Date(90), change.DueOn);
        Assert.Equal(Day(91), change.ChangedAt);
    }

    [Fact]
    public void Reaching_an_overdue_milestone_publishes_that_it_is_no_longer_overdue()
    {
        var customer = new Customer().Signed(0, 365);
        customer.RunDaily(0, 95);

        var reached = new MilestoneReached
        {
            EventId = "fv", CustomerId = customer.Id, OccurredAt = Day(96), ReceivedAt = Day(96), Milestone = Milestone.FirstValue,
        };
        var decided = LifecycleDecider.Decide(customer.History(), [reached], customer.Settings, Day(96.5));

        var cleared = Assert.Single(decided.OfType<MilestoneOverdueChanged>());
        Assert.Equal(Milestone.FirstValue, cleared.Milestone);
        Assert.False(cleared.Overdue);
        Assert.Equal(Day(96), cleared.ChangedAt);
        Assert.Contains(decided, e => e is StageChanged { Stage: LifecycleStage.Adoption });
    }

    [Fact]
    public void A_daily_run_catching_up_after_the_flag_was_published_as_of_a_later_instant_does_not_turn_it_back()
    {
        // Due on day 90; a consumer evaluated the customer as of day 93 and published the flag (changed at day 91).
        var customer = new Customer().Signed(0, 365);
        foreach (var e in LifecycleDecider.Decide(customer.History(), [], customer.Settings, Day(93)).Where(e => e is not TierCalibrated))
        {
            customer.Add(e);
        }

        Assert.True(customer.History().PublishedOverdue[Milestone.Delivered]);

        // The daily run for day 90, late: as of then nothing was overdue yet, but the published flags stay.
        var stale = LifecycleDecider.Decide(customer.History(), [], customer.Settings, Day(90.01));
        Assert.DoesNotContain(stale, e => e is MilestoneOverdueChanged);

        // A later evaluation still clears a flag when the milestone is reached.
        var reached = new MilestoneReached { EventId = "d", CustomerId = customer.Id, OccurredAt = Day(94), ReceivedAt = Day(94), Milestone = Milestone.Delivered };
        var cleared = LifecycleDecider.Decide(customer.History(), [reached], customer.Settings, Day(94.5)).OfType<MilestoneOverdueChanged>();
        Assert.Contains(cleared, c => c is { Milestone: Milestone.Delivered, Overdue: false });
    }
}
