using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

/// <summary>Customers with more than one contract, and what a contract's dates and renewals mean for stage and ARR.</summary>
public sealed class ContractTermTests
{
    // Day 364 is 2026-12-31 (the main contract's end), day 454 is 2027-03-31 (the add-on's end).
    private static Customer MainAndAddOn() => new Customer()
        .Signed(0, 364, arr: 50_000, contractId: "main").Signed(0, 454, arr: 5_000, contractId: "add-on").Reached(Milestone.FirstValue, 20);

    [Fact]
    public void With_two_contracts_the_renewal_window_opens_before_the_end_of_the_one_that_ends_first()
    {
        var customer = MainAndAddOn();

        Assert.Equal(LifecycleStage.Adoption, customer.On(273).Stage);
        var view = customer.On(275);
        Assert.Equal(LifecycleStage.Renewal, view.Stage);
        Assert.Equal(Day(274), view.StageSince);
        Assert.Contains("ends on 2026-12-31", view.StageReason);
    }

    [Fact]
    public void A_window_Renewal_opened_for_the_main_contract_counts_although_an_add_on_ends_later()
    {
        var view = MainAndAddOn().Window(openedOn: 200, endsOn: 364, contractId: "main").On(201);

        Assert.Equal(LifecycleStage.Renewal, view.Stage);
        Assert.Equal(Day(200), view.StageSince);
        Assert.Contains("contract main", view.StageReason);
    }

    [Fact]
    public void Renewing_only_the_add_on_keeps_the_customer_in_renewal_while_the_main_contract_is_due()
    {
        var customer = MainAndAddOn().Renewed(300, 819, arr: 5_000, contractId: "add-on");

        var view = customer.On(301);
        Assert.Equal(LifecycleStage.Renewal, view.Stage);
        Assert.Equal(Day(274), view.StageSince);

        customer.Renewed(320, 729, arr: 50_000, contractId: "main");
        Assert.Equal(LifecycleStage.Mature, customer.On(321).Stage);
        Assert.Equal(Day(320), customer.On(321).StageSince);
    }

    [Fact]
    public void A_main_contract_that_lapses_while_an_add_on_runs_on_is_seen_and_the_customer_leaves_renewal_without_churning()
    {
        var customer = new Customer().Signed(0, 364, contractId: "main").Signed(0, 1000, contractId: "add-on");

        Assert.Equal(LifecycleStage.Renewal, customer.On(393).Stage);
        var view = customer.On(395);
        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(Day(394), view.StageSince);
        Assert.Contains("contract main ended on 2026-12-31 without a renewal", view.StageReason);
        Assert.Equal(LifecycleStage.Renewal, customer.On(911).Stage);
        Assert.Equal(Day(910), customer.On(911).StageSince);
    }

    [Fact]
    public void Cancelling_the_due_main_contract_while_an_add_on_runs_on_leaves_renewal_without_churning()
    {
        var view = new Customer().Signed(0, 364, contractId: "main").Signed(0, 1000, contractId: "add-on")
            .Cancelled(300, reason: "merged into the add-on", contractId: "main").On(301);

        Assert.Equal([LifecycleStage.Onboarding, LifecycleStage.Renewal, LifecycleStage.Mature], view.StageHistory.Select(s => s.Stage));
        Assert.Equal(Day(300), view.StageSince);
        Assert.Contains("contract add-on runs to", view.StageReason);
    }

    [Fact]
    public void A_new_contract_signed_in_the_window_replaces_the_due_one_without_reopening_the_window()
    {
        var view = new Customer().Signed(0, 365).Signed(330, 695, contractId: "c-2").On(400);

        Assert.Equal(LifecycleStage.Mature, view.Stage);
        Assert.Equal(Day(330), view.StageSince);
    }

    [Fact]
    public void A_renewal_signed_early_applies_its_price_and_seats_when_the_new_term_starts()
    {
        var customer = new Customer().Signed(0, 365, arr: 12_000, seats: 10).Renewed(305, 730, arr: 150_000, seats: 40);

        var beforeTheNewTerm = customer.On(364.5);
        Assert.Equal(12_000, beforeTheNewTerm.Arr);
        Assert.Equal(10, beforeTheNewTerm.PaidSeats);
        var newTerm = customer.On(365);
        Assert.Equal(150_000, newTerm.Arr);
        Assert.Equal(40, newTerm.PaidSeats);
    }

    [Fact]
    public void A_higher_priced_renewal_signed_early_makes_a_key_account_only_once_its_term_starts()
    {
        var customer = new Customer().Signed(0, 365, arr: 12_000).Renewed(305, 730, arr: 150_000);

        Assert.Equal(CustomerTier.Standard, TierCalibration.Qualify(customer.History(), customer.Settings, Day(306))!.Tier);
        Assert.Equal(CustomerTier.KeyAccount, TierCalibration.Qualify(customer.History(), customer.Settings, Day(366))!.Tier);
    }

    [Fact]
    public void An_amendment_in_the_new_term_overrides_the_renewal_price_from_its_effective_date()
    {
        var customer = new Customer().Signed(0, 365, arr: 12_000).Renewed(305, 730, arr: 20_000).Amended(400, arr: 25_000, seats: 12);

        Assert.Equal(20_000, customer.On(380).Arr);
        Assert.Equal(25_000, customer.On(401).Arr);
    }

    [Fact]
    public void A_renewal_signed_after_the_end_applies_its_price_at_once()
    {
        var view = new Customer().Signed(0, 365, arr: 12_000).Renewed(375, 730, arr: 15_000).On(376);

        Assert.Equal(15_000, view.Arr);
    }

    [Fact]
    public void A_contract_no_longer_counts_on_its_end_date()
    {
        var customer = new Customer().Signed(0, 365, arr: 12_000, seats: 10);

        Assert.Equal(12_000, customer.On(364.9).Arr);
        var view = customer.On(365);
        Assert.Equal(0, view.Arr);
        Assert.Null(view.PaidSeats);
    }

    [Fact]
    public void Cancelling_the_last_contract_on_the_day_another_one_ends_churns_with_the_reason_and_competitor()
    {
        var view = new Customer().Signed(0, 365, contractId: "c-1").Signed(0, 700, contractId: "c-2")
            .Cancelled(365, reason: "merger", competitor: "Initrode", contractId: "c-2").On(366);

        Assert.Equal(LifecycleStage.Churned, view.Stage);
        Assert.Equal(Day(365), view.StageSince);
        Assert.Equal("merger", view.StageHistory[^1].ChurnReason);
        Assert.Equal("Initrode", view.StageHistory[^1].Competitor);
    }
}
