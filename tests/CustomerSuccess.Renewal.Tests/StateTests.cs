using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Renewal.Domain;

namespace CustomerSuccess.Renewal.Tests;

public class StateTests
{
    [Fact]
    public void A_copy_of_the_state_keeps_every_fact_and_decision()
    {
        var customer = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01").Amended("main", 14_000, "2026-04-01").Cancelled("main", "2026-12-01", "budget", "Rival")
            .Invoice("2026-02-15", "2026-02-20").Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, "2026-09-01")
            .Health("2026-09-01", HealthBand.Yellow, Quadrant.Q2, readings: new HealthReadings { SeatActivation = 0.4 })
            .Tier(CustomerTier.KeyAccount).Overdue(Milestone.Delivered, "2026-04-01");
        customer.Evaluate("2026-10-10");

        var copy = customer.Facts.Copy();

        Assert.Equal(JsonSerializer.Serialize(customer.Facts), JsonSerializer.Serialize(copy));
        Assert.Equal(RenewalRisk.Assess(customer.Facts, new RenewalSettings(), Customer.At("2026-10-11")), RenewalRisk.Assess(copy, new RenewalSettings(), Customer.At("2026-10-11")), new RiskComparer());
        Assert.NotSame(customer.Facts.Contracts["main"], copy.Contracts["main"]);
    }

    [Fact]
    public void Redelivered_facts_are_kept_once()
    {
        var customer = new Customer();
        var renewed = new ContractRenewed { EventId = "r-1", CustomerId = "acme", OccurredAt = Customer.At("2026-11-01"), ReceivedAt = Customer.At("2026-11-01"), ContractId = "main", Arr = 1, EndsOn = Customer.D("2028-01-01") };

        customer.Signed("main", 12_000, "2026-01-01", "2027-01-01").Record(renewed).Record(renewed);

        Assert.Single(customer.Facts.Contracts["main"].Renewals);
    }

    private sealed class RiskComparer : IEqualityComparer<RiskResult>
    {
        public bool Equals(RiskResult? x, RiskResult? y) => x!.Level == y!.Level && x.Reasons.SequenceEqual(y.Reasons);

        public int GetHashCode(RiskResult obj) => obj.Level.GetHashCode();
    }
}
