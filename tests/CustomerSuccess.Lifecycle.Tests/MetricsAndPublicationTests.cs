using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;
using CustomerSuccess.Lifecycle.Publishing;
using CustomerSuccess.Lifecycle.Stages;
using JasperFx.Events;
using static CustomerSuccess.Lifecycle.Tests.Customer;

namespace CustomerSuccess.Lifecycle.Tests;

public sealed class MetricsAndPublicationTests
{
    private static LifecycleSummary Summary(Customer customer, double asOfDay) => LifecycleSummary.From(customer.On(asOfDay))!;

    [Fact]
    public void Metrics_count_stages_and_tiers_at_the_end_of_the_period_and_the_transitions_within_it()
    {
        var summaries = new[]
        {
            Summary(new Customer("a").Signed(0, 365).Reached(Milestone.FirstValue, 40), 100),
            Summary(new Customer("b").Signed(50, 415), 100),
            Summary(new Customer("c").Signed(0, 365).Cancelled(60), 100),
        };

        var metrics = LifecycleMetricsApi.Compute(summaries, Day(30), Day(90));

        Assert.Equal(1, metrics.Stages.Single(s => s.Stage == LifecycleStage.Adoption).Customers);
        Assert.Equal(1, metrics.Stages.Single(s => s.Stage == LifecycleStage.Onboarding).Customers);
        Assert.Equal(1, metrics.Stages.Single(s => s.Stage == LifecycleStage.Churned).Customers);
        Assert.Equal(3, metrics.Tiers.Single(t => t.Tier == CustomerTier.Standard).Customers);
        Assert.Equal(
            [(null, LifecycleStage.Onboarding, 1), (LifecycleStage.Onboarding, LifecycleStage.Adoption, 1), (LifecycleStage.Onboarding, LifecycleStage.Churned, 1)],
            metrics.Transitions.Select(t => (t.From, t.To, t.Count)));
    }

    [Fact]
    public void The_median_days_in_a_stage_count_the_stays_that_ended_in_the_period()
    {
        var summaries = new[]
        {
            Summary(new Customer("a").Signed(0, 365).Reached(Milestone.FirstValue, 20), 200),
            Summary(new Customer("b").Signed(0, 365).Reached(Milestone.FirstValue, 40), 200),
            Summary(new Customer("c").Signed(0, 365).Reached(Milestone.FirstValue, 90), 200),
            Summary(new Customer("d").Signed(0, 365), 200),
        };

        var onboarding = LifecycleMetricsApi.Compute(summaries, Day(10), Day(100)).MedianDaysInStage.Single(d => d.Stage == LifecycleStage.Onboarding);

        Assert.Equal(3, onboarding.Stays);
        Assert.Equal(40, onboarding.MedianDays);
    }

    [Fact]
    public void The_conversion_rate_is_the_share_of_the_standard_cohort_at_the_start_that_became_high_potential_in_the_period()
    {
        var summaries = new[]
        {
            Summary(new Customer("moved").Signed(0, 365).Calibrated(1, CustomerTier.Standard)
                .Calibrated(40, CustomerTier.HighPotential).Calibrated(41, CustomerTier.HighPotential).Calibrated(42, CustomerTier.HighPotential), 100),
            Summary(new Customer("pinned").Signed(0, 365).Pinned(50, CustomerTier.HighPotential, "expansion talks"), 100),
            Summary(new Customer("stayed").Signed(0, 365), 100),
            Summary(new Customer("key").Signed(0, 365).Profiled(1, keyAccount: true).Pinned(50, CustomerTier.HighPotential, "not a KA"), 100),
            Summary(new Customer("later").Signed(60, 425), 100),
        };

        var conversion = LifecycleMetricsApi.Compute(summaries, Day(30), Day(90)).StandardToHighPotential;

        Assert.Equal(3, conversion.Cohort);
        Assert.Equal(2, conversion.Converted);
        Assert.Equal(0.6667, conversion.Rate);
    }

    [Fact]
    public void An_empty_cohort_has_no_conversion_rate()
    {
        Assert.Null(LifecycleMetricsApi.Compute([], Day(0), Day(30)).StandardToHighPotential.Rate);
    }

    [Fact]
    public void The_relay_publishes_each_stored_change_with_the_stored_events_id_and_stream_key()
    {
        var id = Guid.NewGuid();
        var stored = new Event<TierChanged>(new TierChanged(CustomerTier.Standard, CustomerTier.KeyAccount, true, Day(3), "pinned by a CSM: logo"))
        {
            Id = id, StreamKey = "acme",
        };

        var message = Assert.IsType<CustomerTierChanged>(LifecycleChangeRelay.Message(stored));

        Assert.Equal(id.ToString(), message.EventId);
        Assert.Equal("acme", message.CustomerId);
        Assert.Equal((CustomerTier.Standard, CustomerTier.KeyAccount, true), (message.PreviousTier, message.Tier, message.Pinned));
        Assert.Equal("pinned by a CSM: logo", message.Reason);
        Assert.Equal(Day(3), message.ChangedAt);
    }

    [Fact]
    public void The_relay_maps_stage_and_overdue_changes_and_nothing_else()
    {
        var stage = LifecycleChangeRelay.Message(new Event<StageChanged>(new StageChanged(null, LifecycleStage.Onboarding, Day(0), "contract c-1 started"))
        {
            Id = Guid.NewGuid(), StreamKey = "acme",
        });
        var overdue = LifecycleChangeRelay.Message(new Event<MilestoneOverdueChanged>(new MilestoneOverdueChanged(Milestone.Delivered, Date(90), true, Day(91)))
        {
            Id = Guid.NewGuid(), StreamKey = "acme",
        });
        var other = LifecycleChangeRelay.Message(new Event<TierCalibrated>(new TierCalibrated(CustomerTier.Standard, "none", Day(1)))
        {
            Id = Guid.NewGuid(), StreamKey = "acme",
        });

        Assert.Equal(LifecycleStage.Onboarding, Assert.IsType<CustomerStageChanged>(stage).Stage);
        Assert.Equal((Milestone.Delivered, Date(90), true), (((CustomerMilestoneOverdueChanged)overdue!).Milestone, ((CustomerMilestoneOverdueChanged)overdue).DueOn, ((CustomerMilestoneOverdueChanged)overdue).Overdue));
        Assert.Null(other);
    }
}
