using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

public sealed class TierTests
{
    [Fact]
    public void A_new_customer_is_standard_until_calibrated()
    {
        var view = new Customer().Signed(0, 365).On(1);

        Assert.Equal(CustomerTier.Standard, view.Tier);
        Assert.False(view.TierPinned);
        Assert.Single(view.TierHistory);
    }

    [Fact]
    public void A_customer_profiled_as_key_account_is_one_at_once()
    {
        var view = new Customer().Signed(0, 365).Profiled(5, keyAccount: true).On(6);

        Assert.Equal(CustomerTier.KeyAccount, view.Tier);
        Assert.Equal(Day(5), view.TierSince);
        Assert.Equal("profiled as a key account", view.TierReason);
    }

    [Fact]
    public void ARR_at_the_threshold_qualifies_a_key_account()
    {
        var customer = new Customer().Signed(0, 365, arr: 100_000);

        var calibrated = TierCalibration.Qualify(customer.History(), customer.Settings, Day(1))!;
        Assert.Equal(CustomerTier.KeyAccount, calibrated.Tier);
        Assert.Contains("ARR 100000", calibrated.Reason);

        customer.Settings.KeyAccountArr = 150_000;
        Assert.Equal(CustomerTier.Standard, TierCalibration.Qualify(customer.History(), customer.Settings, Day(1))!.Tier);
    }

    [Fact]
    public void One_high_potential_signal_alone_is_not_enough()
    {
        var calibrated = TierCalibration.Qualify(new Customer().Signed(0, 365, seats: 80).History(), new LifecycleSettings(), Day(1))!;

        Assert.Equal(CustomerTier.Standard, calibrated.Tier);
        Assert.Contains("80 paid seats", calibrated.Reason);
    }

    [Fact]
    public void Size_and_a_fast_first_value_qualify_a_high_potential_customer()
    {
        var customer = new Customer().Signed(0, 365, seats: 80).Reached(Milestone.FirstValue, 12);

        var calibrated = TierCalibration.Qualify(customer.History(), customer.Settings, Day(13))!;

        Assert.Equal(CustomerTier.HighPotential, calibrated.Tier);
        Assert.Contains("fast start: first value 12 days after the start", calibrated.Reason);
    }

    [Fact]
    public void Strong_adoption_and_growing_seats_qualify_a_high_potential_customer()
    {
        var customer = new Customer().Signed(0, 365, seats: 10).Seats(10, 10).Seats(100, 30).Health(100, HealthBand.Green, outcome: 85);

        var calibrated = TierCalibration.Qualify(customer.History(), customer.Settings, Day(101))!;

        Assert.Equal(CustomerTier.HighPotential, calibrated.Tier);
        Assert.Contains("strong adoption: outcome 85", calibrated.Reason);
        Assert.Contains("paid seats grew from 10 to 30", calibrated.Reason);
    }

    [Fact]
    public void Growing_ARR_is_an_expansion_signal()
    {
        var customer = new Customer().Profiled(0, locations: 8).Signed(0, 365, arr: 20_000).Amended(100, arr: 30_000, seats: 10);

        var calibrated = TierCalibration.Qualify(customer.History(), customer.Settings, Day(120))!;

        Assert.Equal(CustomerTier.HighPotential, calibrated.Tier);
        Assert.Contains("ARR grew from 20000 to 30000", calibrated.Reason);
        Assert.Contains("8 locations", calibrated.Reason);
    }

    [Fact]
    public void The_first_calibration_places_the_customer_at_once()
    {
        var view = new Customer().Signed(0, 365).Calibrated(1, CustomerTier.HighPotential).On(2);

        Assert.Equal(CustomerTier.HighPotential, view.Tier);
        Assert.StartsWith("placed by the first calibration", view.TierReason);
    }

    [Fact]
    public void A_move_needs_three_consecutive_daily_calibrations()
    {
        var customer = new Customer().Signed(0, 365).Calibrated(1, CustomerTier.Standard)
            .Calibrated(2, CustomerTier.HighPotential).Calibrated(3, CustomerTier.HighPotential);
        Assert.Equal(CustomerTier.Standard, customer.On(3.5).Tier);

        customer.Calibrated(4, CustomerTier.HighPotential);
        var view = customer.On(4.5);

        Assert.Equal(CustomerTier.HighPotential, view.Tier);
        Assert.Equal(Day(4), view.TierSince);
        Assert.StartsWith("qualified on 3 consecutive daily calibrations", view.TierReason);
    }

    [Fact]
    public void A_customer_oscillating_around_a_threshold_never_flaps()
    {
        var customer = new Customer().Signed(0, 365).Calibrated(1, CustomerTier.Standard);
        for (var day = 2; day < 60; day++)
        {
            customer.Calibrated(day, day % 3 == 0 ? CustomerTier.Standard : CustomerTier.HighPotential);
        }

        var view = customer.On(60);
        Assert.Equal(CustomerTier.Standard, view.Tier);
        Assert.Single(view.TierHistory);
    }

    [Fact]
    public void Only_the_last_calibration_of_a_day_counts()
    {
        var customer = new Customer().Signed(0, 365).Calibrated(1, CustomerTier.Standard)
            .Calibrated(2.1, CustomerTier.HighPotential).Calibrated(2.5, CustomerTier.HighPotential).Calibrated(2.9, CustomerTier.HighPotential);

        Assert.Equal(CustomerTier.Standard, customer.On(3).Tier);
    }

    [Fact]
    public void The_hysteresis_is_a_setting()
    {
        var customer = new Customer().Signed(0, 365).Calibrated(1, CustomerTier.Standard).Calibrated(2, CustomerTier.HighPotential);
        customer.Settings.TierHysteresisDays = 1;

        Assert.Equal(CustomerTier.HighPotential, customer.On(3).Tier);
    }

    [Fact]
    public void A_pin_overrides_the_calibrated_tier_with_its_reason_and_an_unpin_restores_it()
    {
        var customer = new Customer().Signed(0, 365).Calibrated(1, CustomerTier.Standard)
            .Pinned(10, CustomerTier.KeyAccount, "strategic logo").Calibrated(11, CustomerTier.HighPotential)
            .Calibrated(12, CustomerTier.HighPotential).Calibrated(13, CustomerTier.HighPotential);

        var pinned = customer.On(14);
        Assert.Equal(CustomerTier.KeyAccount, pinned.Tier);
        Assert.True(pinned.TierPinned);
        Assert.Equal("pinned by a CSM: strategic logo", pinned.TierReason);
        Assert.Equal(CustomerTier.HighPotential, pinned.CalibratedTier);

        customer.Unpinned(20, "review done");
        var unpinned = customer.On(21);
        Assert.Equal(CustomerTier.HighPotential, unpinned.Tier);
        Assert.False(unpinned.TierPinned);
        Assert.Equal(
            [(CustomerTier.Standard, false), (CustomerTier.KeyAccount, true), (CustomerTier.HighPotential, false)],
            unpinned.TierHistory.Select(t => (t.Tier, t.Pinned)));
        Assert.Contains("review done", unpinned.TierHistory[^1].Reason);
    }

    [Fact]
    public void Pinning_the_calibrated_tier_is_still_visible_as_a_pin()
    {
        var view = new Customer().Signed(0, 365).Pinned(3, CustomerTier.Standard, "keep standard until the audit").On(4);

        Assert.True(view.TierPinned);
        Assert.Equal(2, view.TierHistory.Count);
    }

    [Fact]
    public void Daily_runs_move_a_customer_only_after_it_qualified_three_days_running()
    {
        var customer = new Customer().Signed(0, 365, seats: 10);
        customer.RunDaily(0, 5);
        customer.Seats(5.5, 80).Reached(Milestone.FirstValue, 5.5);

        var moves = customer.RunDaily(6, 12).OfType<TierChanged>().ToList();

        var move = Assert.Single(moves);
        Assert.Equal(CustomerTier.HighPotential, move.Tier);
        Assert.Equal(Day(8).AddMinutes(5), move.ChangedAt);
        Assert.Equal(CustomerTier.Standard, move.PreviousTier ?? CustomerTier.Standard);
    }
}
