using CustomerSuccess.Contracts.Events;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

public sealed class StageTransitionTests
{
    [Fact]
    public void A_customer_without_a_contract_or_handover_has_no_stage_yet()
    {
        var view = new Customer().Profiled(0).Seats(1, 10).On(5);

        Assert.Null(view.Stage);
        Assert.Equal(0, view.Life);
    }

    [Fact]
    public void A_contract_starts_onboarding_on_its_start_date_not_when_it_was_signed()
    {
        var customer = new Customer().Signed(startsOn: 10, endsOn: 375, occurredOn: 2);

        Assert.Null(customer.On(9).Stage);
        var view = customer.On(11);
        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
        Assert.Equal(Day(10), view.StageSince);
        Assert.Equal(1, view.Life);
    }

    [Fact]
    public void A_completed_handover_alone_starts_onboarding()
    {
        var view = new Customer().Reached(Milestone.HandoverCompleted, 3).On(4);

        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
        Assert.Equal(Day(3), view.StageSince);
    }

    [Fact]
    public void First_value_moves_onboarding_to_adoption()
    {
        var view = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 40).On(41);

        Assert.Equal(LifecycleStage.Adoption, view.Stage);
        Assert.Equal(Day(40), view.StageSince);
        Assert.Equal("first value reached", view.StageReason);
    }

    [Fact]
    public void A_first_value_reported_before_the_contract_start_puts_the_customer_in_adoption_from_the_start()
    {
        var view = new Customer().Reached(Milestone.FirstValue, 5).Signed(startsOn: 10, endsOn: 375).On(20);

        Assert.Equal(LifecycleStage.Adoption, view.Stage);
        Assert.Equal(Day(10), view.StageSince);
        Assert.Equal(1, view.Milestones.Single().Life);
    }

    [Fact]
    public void Thirty_days_of_green_health_in_adoption_make_the_customer_mature()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 40).Health(45, HealthBand.Green);

        Assert.Equal(LifecycleStage.Adoption, customer.On(74.9).Stage);
        var view = customer.On(76);
        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(Day(75), view.StageSince);
    }

    [Fact]
    public void Healthy_time_counts_from_the_start_of_adoption_when_the_customer_was_green_before()
    {
        var view = new Customer().Signed(0, 365).Health(5, HealthBand.Green).Reached(Milestone.FirstValue, 40).On(80);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(Day(70), view.StageSince);
    }

    [Fact]
    public void A_yellow_spell_restarts_the_thirty_healthy_days()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10)
            .Health(10, HealthBand.Green).Health(30, HealthBand.Yellow).Health(35, HealthBand.Green);

        Assert.Equal(LifecycleStage.Adoption, customer.On(60).Stage);
        Assert.Equal(Day(65), customer.On(66).StageSince);
    }

    [Fact]
    public void The_band_that_counts_as_healthy_is_a_setting()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10).Health(10, HealthBand.Yellow);
        Assert.Equal(LifecycleStage.Adoption, customer.On(50).Stage);

        customer.Settings.MatureBand = HealthBand.Yellow;
        customer.Settings.MatureAfterDays = 20;
        Assert.Equal(LifecycleStage.Mature, customer.On(50).Stage);
        Assert.Equal(Day(30), customer.On(50).StageSince);
    }

    [Fact]
    public void The_renewal_window_opens_90_days_before_the_contract_ends()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10).Health(10, HealthBand.Green);

        Assert.Equal(LifecycleStage.Mature, customer.On(274).Stage);
        var view = customer.On(276);
        Assert.Equal(LifecycleStage.Renewal, view.Stage);
        Assert.Equal(Day(275), view.StageSince);
        Assert.Contains("contract ends on 2027-01-01", view.StageReason);
    }

    [Fact]
    public void The_renewal_window_length_is_a_setting()
    {
        var customer = new Customer().Signed(0, 365);
        customer.Settings.RenewalWindowDays = 120;

        Assert.Equal(Day(245), customer.On(250).StageSince);
        Assert.Equal(LifecycleStage.Renewal, customer.On(250).Stage);
    }

    [Fact]
    public void Renewal_can_open_the_window_earlier_for_a_difficult_customer()
    {
        var view = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10).Window(openedOn: 200, endsOn: 365).On(201);

        Assert.Equal(LifecycleStage.Renewal, view.Stage);
        Assert.Equal(Day(200), view.StageSince);
        Assert.Contains("opened by Renewal", view.StageReason);
    }

    [Fact]
    public void A_window_for_a_term_already_renewed_past_is_ignored()
    {
        var view = new Customer().Signed(0, 365).Renewed(100, 730).Window(openedOn: 280, endsOn: 365).On(300);

        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
    }

    [Fact]
    public void A_renewal_in_the_window_makes_the_customer_mature_again()
    {
        var view = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10).Renewed(300, 730).On(301);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(Day(300), view.StageSince);
        Assert.Equal([LifecycleStage.Onboarding, LifecycleStage.Adoption, LifecycleStage.Renewal, LifecycleStage.Mature], view.StageHistory.Select(s => s.Stage));
        Assert.Equal(new DateOnly(2028, 1, 1), view.ContractEndsOn);
    }

    [Fact]
    public void After_a_renewal_the_next_window_opens_90_days_before_the_new_end()
    {
        var view = new Customer().Signed(0, 365).Renewed(300, 730).On(700);

        Assert.Equal(LifecycleStage.Renewal, view.Stage);
        Assert.Equal(Day(640), view.StageSince);
    }

    [Fact]
    public void A_cancellation_churns_the_customer_when_it_takes_effect_with_reason_and_competitor()
    {
        var customer = new Customer().Signed(0, 365).Cancelled(effectiveOn: 200, reason: "budget cuts", competitor: "Initrode", occurredOn: 150);

        Assert.Equal(LifecycleStage.Onboarding, customer.On(199).Stage);
        var view = customer.On(201);
        Assert.Equal(LifecycleStage.Churned, view.Stage);
        Assert.Equal(Day(200), view.StageSince);
        var churn = view.StageHistory[^1];
        Assert.Equal("budget cuts", churn.ChurnReason);
        Assert.Equal("Initrode", churn.Competitor);
        Assert.Contains("went to Initrode", churn.Reason);
    }

    [Fact]
    public void Cancelling_one_of_two_contracts_does_not_churn_the_customer()
    {
        var view = new Customer().Signed(0, 365).Signed(0, 365, contractId: "c-2").Cancelled(100, contractId: "c-2").On(120);

        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
    }

    [Fact]
    public void A_contract_that_ends_without_renewal_lapses_after_the_grace_period()
    {
        var customer = new Customer().Signed(0, 365);

        Assert.Equal(LifecycleStage.Renewal, customer.On(394).Stage);
        var view = customer.On(396);
        Assert.Equal(LifecycleStage.Churned, view.Stage);
        Assert.Equal(Day(395), view.StageSince);
        Assert.Equal("lapsed", view.StageHistory[^1].ChurnReason);
    }

    [Fact]
    public void The_grace_period_is_a_setting()
    {
        var customer = new Customer().Signed(0, 365);
        customer.Settings.LapseGraceDays = 0;

        Assert.Equal(LifecycleStage.Churned, customer.On(366).Stage);
        Assert.Equal(Day(365), customer.On(366).StageSince);
    }

    [Fact]
    public void A_renewal_within_the_grace_period_prevents_the_lapse()
    {
        var view = new Customer().Signed(0, 365).Renewed(380, 745).On(400);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(Day(380), view.StageSince);
    }

    [Fact]
    public void A_renewal_after_the_lapse_brings_the_customer_back_to_mature()
    {
        var view = new Customer().Signed(0, 365).Renewed(420, 785).On(430);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Contains("after lapsing", view.StageReason);
        Assert.Equal(0, view.TimesWonBack);
    }

    [Fact]
    public void A_churned_customer_that_signs_again_is_won_back_with_its_whole_past()
    {
        var view = new Customer()
            .Signed(0, 365).Reached(Milestone.FirstValue, 30).Reached(Milestone.Delivered, 80)
            .Cancelled(200, reason: "price", competitor: "Initrode")
            .Signed(400, 765, contractId: "c-2").Reached(Milestone.AccountOpened, 405)
            .On(410);

        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
        Assert.Equal(Day(400), view.StageSince);
        Assert.Equal(1, view.TimesWonBack);
        Assert.Equal(2, view.Life);
        Assert.Contains("won back", view.StageReason);
        Assert.Equal(
            [LifecycleStage.Onboarding, LifecycleStage.Adoption, LifecycleStage.Churned, LifecycleStage.Onboarding],
            view.StageHistory.Select(s => s.Stage));
        Assert.Equal([1, 1, 1, 2], view.StageHistory.Select(s => s.Life));
        Assert.Equal("Initrode", view.StageHistory[2].Competitor);
        Assert.Equal(Day(400), view.StageHistory[2].Until);
        Assert.Equal(200, view.StageHistory[2].Days(view.AsOf));
        Assert.Equal(
            [(Milestone.FirstValue, 1), (Milestone.Delivered, 1), (Milestone.AccountOpened, 2)],
            view.Milestones.Select(m => (m.Milestone, m.Life)));
        Assert.False(view.Reached(Milestone.FirstValue));
    }

    [Fact]
    public void Every_win_back_is_counted()
    {
        var view = new Customer()
            .Signed(0, 100).Cancelled(50)
            .Signed(200, 300, contractId: "c-2").Cancelled(250, contractId: "c-2")
            .Signed(400, 800, contractId: "c-3")
            .On(410);

        Assert.Equal(2, view.TimesWonBack);
        Assert.Equal(3, view.Life);
    }

    [Fact]
    public void The_current_stay_counts_its_days_up_to_now_and_has_no_end()
    {
        var view = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 20).On(50.5);

        Assert.Equal(20, view.StageHistory[0].Days(view.AsOf));
        Assert.Equal(Day(20), view.StageHistory[0].Until);
        Assert.Null(view.StageHistory[1].Until);
        Assert.Equal(30, view.StageHistory[1].Days(view.AsOf));
    }

    [Fact]
    public void A_handover_marked_complete_in_the_profile_starts_onboarding()
    {
        var view = new Customer().Profiled(2, handoverComplete: true).On(3);

        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
        Assert.Equal("handover completed (profile)", view.StageReason);
    }

    [Fact]
    public void A_contract_shorter_than_the_window_goes_from_onboarding_straight_to_renewal()
    {
        var view = new Customer().Signed(0, 60).On(1);

        Assert.Equal([LifecycleStage.Onboarding, LifecycleStage.Renewal], view.StageHistory.Select(s => s.Stage));
        Assert.Equal(Day(0), view.StageSince);
    }

    [Fact]
    public void A_new_contract_signed_in_the_window_makes_the_customer_mature_again()
    {
        var view = new Customer().Signed(0, 365).Signed(330, 695, contractId: "c-2").On(331);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(Day(330), view.StageSince);
        Assert.Contains("new contract c-2", view.StageReason);
    }

    [Fact]
    public void A_cancellation_in_the_renewal_window_churns_the_customer()
    {
        var view = new Customer().Signed(0, 365).Cancelled(300, reason: "no budget").On(301);

        Assert.Equal([LifecycleStage.Onboarding, LifecycleStage.Renewal, LifecycleStage.Churned], view.StageHistory.Select(s => s.Stage));
        Assert.Equal("no budget", view.StageHistory[^1].ChurnReason);
    }

    [Fact]
    public void A_churned_customer_stays_churned_however_much_time_passes()
    {
        var customer = new Customer().Signed(0, 365).Cancelled(100);

        Assert.Equal(Day(100), customer.On(2000).StageSince);
        Assert.Equal(LifecycleStage.Churned, customer.On(2000).Stage);
    }

    [Fact]
    public void A_lapsed_customer_that_signs_a_new_contract_is_won_back()
    {
        var view = new Customer().Signed(0, 365).Signed(500, 865, contractId: "c-2").On(501);

        Assert.Equal(LifecycleStage.Onboarding, view.Stage);
        Assert.Equal(1, view.TimesWonBack);
        Assert.Equal("lapsed", view.StageHistory[^2].ChurnReason);
    }

    [Fact]
    public void Cancelling_the_only_contract_in_force_churns_the_customer_even_with_an_old_contract_that_simply_ended()
    {
        var view = new Customer().Signed(0, 365).Signed(370, 735, contractId: "c-2").Cancelled(500, reason: "merger", contractId: "c-2").On(501);

        Assert.Equal(LifecycleStage.Churned, view.Stage);
        Assert.Equal("merger", view.StageHistory[^1].ChurnReason);
        Assert.Equal(Day(500), view.StageSince);
    }
}
