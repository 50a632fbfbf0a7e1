using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

public sealed class DeciderTests
{
    private static ContractSigned Contract(string customerId) => new()
    {
        EventId = "c", CustomerId = customerId, OccurredAt = Day(0), ReceivedAt = Day(0), ContractId = "c-1", Arr = 12_000, Currency = "EUR",
        Seats = 10, StartsOn = Date(0), EndsOn = Date(365),
    };

    [Fact]
    public void A_new_contract_appends_the_fact_the_first_calibration_and_the_stage_change()
    {
        var decided = LifecycleDecider.Decide(new LifecycleHistory { Id = "acme" }, [Contract("acme")], new LifecycleSettings(), Day(0.5));

        Assert.IsType<ContractSigned>(decided[0]);
        Assert.Equal(CustomerTier.Standard, Assert.IsType<TierCalibrated>(decided[1]).Tier);
        var stage = Assert.IsType<StageChanged>(decided[2]);
        Assert.Null(stage.PreviousStage);
        Assert.Equal(LifecycleStage.Onboarding, stage.Stage);
        Assert.Equal(Day(0), stage.ChangedAt);
        Assert.Equal(3, decided.Count);
    }

    [Fact]
    public void Deciding_again_with_nothing_new_appends_nothing()
    {
        var customer = new Customer().Signed(0, 365);
        customer.RunDaily(0, 0);

        Assert.Empty(LifecycleDecider.Decide(customer.History(), [], customer.Settings, Day(0.9)));
    }

    [Fact]
    public void A_catch_up_run_as_of_an_earlier_instant_calibrates_nothing()
    {
        var customer = new Customer().Signed(0, 365);
        customer.RunDaily(0, 5);

        Assert.Null(LifecycleDecider.Calibrate(customer.History(), customer.Settings, Day(3)));
    }

    [Fact]
    public void Each_stage_change_is_published_once_with_the_previous_stage()
    {
        var customer = new Customer().Signed(0, 365).Reached(Milestone.FirstValue, 10).Health(10, HealthBand.Green);

        var stages = customer.RunDaily(0, 300).OfType<StageChanged>().ToList();

        Assert.Equal(
            [(null, LifecycleStage.Onboarding), (LifecycleStage.Onboarding, LifecycleStage.Adoption),
                (LifecycleStage.Adoption, LifecycleStage.Mature), (LifecycleStage.Mature, LifecycleStage.Renewal)],
            stages.Select(s => (s.PreviousStage, s.Stage)));
        Assert.Equal(Day(40), stages[2].ChangedAt);
        Assert.Equal(Day(275), stages[3].ChangedAt);
    }

    [Fact]
    public void A_late_fact_publishes_only_the_stage_the_customer_is_in_now()
    {
        var customer = new Customer().Signed(0, 365).Health(5, HealthBand.Green);
        customer.RunDaily(0, 100);
        customer.Reached(Milestone.FirstValue, 20);

        var stages = customer.RunDaily(101, 101).OfType<StageChanged>().ToList();

        var change = Assert.Single(stages);
        Assert.Equal(LifecycleStage.Onboarding, change.PreviousStage);
        Assert.Equal(LifecycleStage.Mature, change.Stage);
        Assert.Equal(Day(50), change.ChangedAt);
    }

    [Fact]
    public void A_pin_is_published_as_a_pinned_tier_change_and_an_unpin_as_the_calibrated_tier()
    {
        var customer = new Customer().Signed(0, 365);
        customer.RunDaily(0, 1);

        var pin = new TierPinned(CustomerTier.KeyAccount, "board-level sponsor", Day(2));
        var pinned = Assert.Single(LifecycleDecider.Decide(customer.History(), [pin], customer.Settings, Day(2)).OfType<TierChanged>());
        customer.Add(pin).Add(pinned);
        var unpin = new TierUnpinned("sponsor left", Day(3));
        var unpinned = Assert.Single(LifecycleDecider.Decide(customer.History(), [unpin], customer.Settings, Day(3)).OfType<TierChanged>());

        Assert.Equal((CustomerTier.KeyAccount, true, "pinned by a CSM: board-level sponsor"), (pinned.Tier, pinned.Pinned, pinned.Reason));
        Assert.Equal((CustomerTier.KeyAccount, CustomerTier.Standard, false), (unpinned.PreviousTier, unpinned.Tier, unpinned.Pinned));
    }

    [Fact]
    public void A_new_standard_customer_needs_no_tier_message()
    {
        var customer = new Customer().Signed(0, 365);

        Assert.Empty(customer.RunDaily(0, 30).OfType<TierChanged>());
    }

    [Fact]
    public void Churning_clears_a_published_overdue_flag()
    {
        var customer = new Customer().Signed(0, 365).Cancelled(120);

        var overdue = customer.RunDaily(85, 130).OfType<MilestoneOverdueChanged>().ToList();

        Assert.Equal([(Milestone.FirstValue, true), (Milestone.Delivered, true), (Milestone.FirstValue, false), (Milestone.Delivered, false)],
            overdue.Select(o => (o.Milestone, o.Overdue)));
        Assert.Equal(Day(120), overdue[^1].ChangedAt);
    }
}
