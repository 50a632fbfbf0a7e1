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

    [Fact]
    public void The_owner_is_the_latest_profile_that_names_one_and_a_profile_without_an_owner_keeps_it()
    {
        var customer = new Customer()
            .Record(Profile("p-2", "2026-03-01", "sam@example.com"))
            .Record(Profile("p-1", "2026-02-01", "jane@example.com"))
            .Record(Profile("p-3", "2026-04-01", owner: null));

        Assert.Equal("sam@example.com", customer.Facts.Owner);
        Assert.Contains(typeof(CustomerProfiled), RenewalEvolution.EventTypes);
    }

    [Fact]
    public void A_risk_assessment_keeps_the_owner_tier_and_latest_health_it_was_made_with()
    {
        var customer = new Customer()
            .Record(Profile("p-1", "2026-01-01", "jane@example.com"))
            .Signed("main", 12_000, "2026-01-01", "2027-01-01").Tier(CustomerTier.HighPotential)
            .Health("2026-09-02", HealthBand.Red, Quadrant.Q4, score: 31.5m).Health("2026-09-01", HealthBand.Green, Quadrant.Q1, score: 80);

        var risk = customer.Evaluate("2026-10-10").OfType<RiskAssessed>().Single();

        Assert.Equal("jane@example.com", risk.Owner);
        Assert.Equal(CustomerTier.HighPotential, risk.Tier);
        Assert.Equal(new AssessedHealth(31.5m, HealthBand.Red, Quadrant.Q4), risk.Health);
    }

    private static CustomerProfiled Profile(string eventId, string on, string? owner) => new()
    {
        EventId = eventId, CustomerId = "acme", OccurredAt = Customer.At(on), ReceivedAt = Customer.At(on), Name = "Acme", Owner = owner,
    };

    private sealed class RiskComparer : IEqualityComparer<RiskResult>
    {
        public bool Equals(RiskResult? x, RiskResult? y) => x!.Level == y!.Level && x.Reasons.SequenceEqual(y.Reasons);

        public int GetHashCode(RiskResult obj) => obj.Level.GetHashCode();
    }
}
