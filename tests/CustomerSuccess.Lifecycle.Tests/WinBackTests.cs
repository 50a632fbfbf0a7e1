using CustomerSuccess.Contracts.Events;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

/// <summary>A churned customer that comes back starts onboarding again, with what happened after the churn counting toward its new life.</summary>
public sealed class WinBackTests
{
    private static Customer ChurnedOnDay200() => new Customer()
        .Signed(0, 365).Reached(Milestone.HandoverCompleted, 1).Reached(Milestone.AccountOpened, 5).Reached(Milestone.FirstValue, 30)
        .Reached(Milestone.Delivered, 80).Cancelled(200, reason: "price", competitor: "Initrode");

    [Fact]
    public void Milestones_reached_after_the_churn_and_before_the_new_contract_starts_count_toward_the_new_life()
    {
        var view = ChurnedOnDay200()
            .Reached(Milestone.AccountOpened, 380).Reached(Milestone.FirstValue, 385).Reached(Milestone.Delivered, 390)
            .Signed(400, 765, contractId: "c-2").On(500);

        Assert.Equal(2, view.Life);
        Assert.Equal(LifecycleStage.Adoption, view.Stage);
        Assert.Equal(Day(400), view.StageSince);
        Assert.True(view.Reached(Milestone.FirstValue));
        Assert.False(view.DeliveryOverdue);
        Assert.False(view.FirstValueOverdue);
        Assert.Equal(
            [(Milestone.AccountOpened, 2, Day(380)), (Milestone.FirstValue, 2, Day(385)), (Milestone.Delivered, 2, Day(390))],
            view.Milestones.Where(m => m.Life == 2).Select(m => (m.Milestone, m.Life, m.ReachedAt)));
        Assert.Equal(4, view.Milestones.Count(m => m.Life == 1));
    }

    [Fact]
    public void A_handover_after_the_churn_starts_the_next_life()
    {
        var customer = ChurnedOnDay200().Reached(Milestone.HandoverCompleted, 380);

        var view = customer.On(381);
        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
        Assert.Equal(Day(380), view.StageSince);
        Assert.Equal(2, view.Life);
        Assert.Equal(1, view.TimesWonBack);
        Assert.Contains("won back", view.StageReason);
        Assert.True(view.Reached(Milestone.HandoverCompleted));

        customer.Signed(400, 765, contractId: "c-2");
        var signed = customer.On(410);
        Assert.Equal(LifecycleStage.Onboarding, signed.Stage);
        Assert.Equal(Day(380), signed.StageSince);
        Assert.Equal(2, signed.Life);
        Assert.Equal(1, signed.TimesWonBack);
        Assert.Equal(Date(470), signed.DeliveryDueOn);
    }

    [Fact]
    public void A_profile_that_newly_marks_a_handover_complete_after_the_churn_starts_the_next_life()
    {
        var view = new Customer().Profiled(0, handoverComplete: false).Signed(0, 365).Cancelled(200)
            .Profiled(380, handoverComplete: true).On(381);

        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
        Assert.Equal(2, view.Life);
        Assert.Equal(1, view.TimesWonBack);
    }

    [Fact]
    public void A_profile_that_only_restates_a_completed_handover_does_not_win_a_churned_customer_back()
    {
        var view = new Customer().Profiled(0, handoverComplete: true).Signed(0, 365).Cancelled(200)
            .Profiled(380, handoverComplete: true).On(381);

        Assert.Equal(LifecycleStage.Churned, view.Stage);
        Assert.Equal(0, view.TimesWonBack);
    }

    [Fact]
    public void A_milestone_reported_while_lapsed_stays_in_the_life_a_late_renewal_resumes()
    {
        var view = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 30)
            .Reached(Milestone.Delivered, 400).Renewed(420, 785).On(430);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(1, view.Life);
        Assert.True(view.Reached(Milestone.Delivered));
        Assert.All(view.Milestones, m => Assert.Equal(1, m.Life));
    }
}
