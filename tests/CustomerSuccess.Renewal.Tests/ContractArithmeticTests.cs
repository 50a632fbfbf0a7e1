using CustomerSuccess.Renewal.Domain;
using static CustomerSuccess.Renewal.Tests.Customer;

namespace CustomerSuccess.Renewal.Tests;

public class ContractArithmeticTests
{
    [Fact]
    public void A_signed_contract_is_in_force_from_its_start_until_the_day_it_ends()
    {
        var contract = new Customer().Signed("main", 12_000, "2026-01-01", "2027-01-01").Facts.Contracts["main"];

        Assert.Equal(0m, contract.ArrOn(D("2025-12-31")));
        Assert.Equal(12_000m, contract.ArrOn(D("2026-01-01")));
        Assert.Equal(12_000m, contract.ArrOn(D("2026-12-31")));
        Assert.Equal(0m, contract.ArrOn(D("2027-01-01")));
        Assert.Equal(ContractStatus.Active, contract.StatusOn(D("2026-06-01")));
        Assert.Equal(ContractStatus.Lapsed, contract.StatusOn(D("2027-01-01")));
    }

    [Fact]
    public void Amendments_count_from_their_effective_date_and_are_expansion_or_contraction_against_the_price_before()
    {
        var contract = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Amended("main", 9_000, "2026-09-01", seats: 8)
            .Amended("main", 15_000, "2026-04-01", seats: 14) // arrives late: still counts from April
            .Facts.Contracts["main"];

        Assert.Equal(12_000m, contract.ArrOn(D("2026-03-31")));
        Assert.Equal(15_000m, contract.ArrOn(D("2026-04-01")));
        Assert.Equal(14, contract.SeatsOn(D("2026-05-01")));
        Assert.Equal(9_000m, contract.ArrOn(D("2026-09-01")));
        Assert.Equal(AmendmentKind.Expansion, contract.KindOf(contract.Amendments.Single(a => a.Arr == 15_000)));
        Assert.Equal(AmendmentKind.Contraction, contract.KindOf(contract.Amendments.Single(a => a.Arr == 9_000)));
    }

    [Fact]
    public void A_renewal_starts_a_new_term_at_the_old_end_with_its_own_price()
    {
        var contract = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Renewed("main", 13_000, "2028-01-01", signedOn: "2026-11-15", seats: 12)
            .Facts.Contracts["main"];

        Assert.Equal(12_000m, contract.ArrOn(D("2026-12-31")));
        Assert.Equal(13_000m, contract.ArrOn(D("2027-01-01")));
        Assert.Equal(12, contract.SeatsOn(D("2027-06-01")));
        Assert.Equal(ContractStatus.Active, contract.StatusOn(D("2026-11-14")));
        Assert.Equal(ContractStatus.Renewed, contract.StatusOn(D("2026-11-15")));
        Assert.Equal(ContractStatus.Renewed, contract.StatusOn(D("2027-01-01")));
        Assert.Equal(D("2028-01-01"), contract.RenewalDue);
        Assert.Equal(D("2028-01-01"), contract.CoverageEnd);
        Assert.Equal(2, contract.Terms().Count);
    }

    [Fact]
    public void A_cancellation_ends_the_contract_on_its_effective_date_with_reason_and_competitor()
    {
        var contract = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Cancelled("main", "2026-07-01", reason: "budget cut", competitor: "Rival Inc", announcedOn: "2026-06-01")
            .Facts.Contracts["main"];

        Assert.Equal(12_000m, contract.ArrOn(D("2026-06-30")));
        Assert.Equal(0m, contract.ArrOn(D("2026-07-01")));
        Assert.Equal(ContractStatus.Cancelled, contract.StatusOn(D("2026-06-01")));
        Assert.Equal("Rival Inc", contract.Cancellation!.Competitor);
        Assert.Equal("budget cut", contract.Cancellation.Reason);
    }

    [Fact]
    public void Several_contracts_of_one_customer_never_overwrite_each_other()
    {
        var facts = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Signed("addon-analytics", 3_000, "2026-03-01", "2026-09-01")
            .Amended("addon-analytics", 4_000, "2026-05-01")
            .Facts;

        Assert.Equal(16_000m, PortfolioMetrics.ArrOn(facts, "EUR", D("2026-06-01")));
        Assert.Equal(12_000m, facts.Contracts["main"].ArrOn(D("2026-06-01")));
        Assert.Equal(12_000m, PortfolioMetrics.ArrOn(facts, "EUR", D("2026-10-01")));
    }

    [Fact]
    public void Once_renewed_the_customer_s_next_renewal_is_the_new_end_and_the_old_term_is_no_longer_imminent()
    {
        var customer = new Customer().Signed("main", 12_000, "2026-01-01", "2027-01-01").Renewed("main", 13_000, "2028-01-01", signedOn: "2026-11-15");

        var outlook = customer.Outlook("2026-12-10");

        Assert.Equal(D("2028-01-01"), outlook.EndsOn);
        Assert.False(outlook.WindowOpen);
        Assert.Empty(customer.Risk("2026-12-10").Reasons);
    }

    [Fact]
    public void The_current_contract_is_the_one_in_force_that_ends_first()
    {
        var outlook = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Signed("addon", 3_000, "2026-03-01", "2026-09-01")
            .Outlook("2026-06-01");

        Assert.Equal("addon", outlook.Contract!.ContractId);
        Assert.Equal(D("2026-09-01"), outlook.EndsOn);
        Assert.Equal(92, outlook.DaysToRenewal);
        Assert.Equal(3_000m, outlook.Arr);
    }

    [Fact]
    public void A_won_back_customer_s_current_contract_is_the_new_one_and_the_cancelled_one_keeps_its_history()
    {
        var customer = new Customer()
            .Signed("main-2025", 10_000, "2025-01-01", "2026-01-01")
            .Cancelled("main-2025", "2025-07-01", reason: "moved to a competitor", competitor: "Rival Inc")
            .Signed("main-2026", 11_000, "2026-03-01", "2027-03-01");

        var outlook = customer.Outlook("2026-06-01");

        Assert.Equal("main-2026", outlook.Contract!.ContractId);
        Assert.Equal(ContractStatus.Cancelled, customer.Facts.Contracts["main-2025"].StatusOn(D("2026-06-01")));
        Assert.DoesNotContain(customer.Risk("2026-06-01").Reasons, r => r.Code == RiskCodes.ContractCancelled);
    }

    [Fact]
    public void An_amendment_that_arrives_before_its_contract_is_kept_and_applied_once_the_contract_is_signed()
    {
        var contract = new Customer()
            .Amended("main", 20_000, "2026-06-01")
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Facts.Contracts["main"];

        Assert.Equal(12_000m, contract.ArrOn(D("2026-05-31")));
        Assert.Equal(20_000m, contract.ArrOn(D("2026-06-01")));
    }

    [Fact]
    public void A_contract_signed_again_after_its_cancellation_is_in_force_again()
    {
        var customer = new Customer()
            .Signed("main", 10_000, "2025-01-01", "2026-01-01")
            .Amended("main", 11_000, "2025-04-01")
            .Cancelled("main", "2025-07-01", reason: "budget", competitor: "Rival Inc")
            .Signed("main", 13_000, "2026-03-01", "2027-03-01", signedAt: "2026-02-20");

        var outlook = customer.Outlook("2026-06-01");

        Assert.Equal("main", outlook.Contract!.ContractId);
        Assert.Equal(D("2027-03-01"), outlook.EndsOn);
        Assert.Equal(13_000m, outlook.Arr);
        Assert.Equal(ContractStatus.Active, customer.Facts.Contracts["main"].StatusOn(D("2026-06-01")));
        Assert.DoesNotContain(customer.Risk("2026-06-01").Reasons, r => r.Code == RiskCodes.ContractCancelled);
        // The earlier life stays as history, and its ARR where it was in force.
        var earlier = Assert.Single(customer.Facts.Contracts.Values, c => c.ContractId == "main" && c.Signed!.StartsOn == D("2025-01-01"));
        Assert.Equal("budget", earlier.Cancellation!.Reason);
        Assert.Equal(ContractStatus.Cancelled, earlier.StatusOn(D("2026-06-01")));
        Assert.Equal(11_000m, PortfolioMetrics.ArrOn(customer.Facts, "EUR", D("2025-05-01")));
        Assert.Equal(0m, PortfolioMetrics.ArrOn(customer.Facts, "EUR", D("2025-12-01")));
        Assert.Equal(13_000m, PortfolioMetrics.ArrOn(customer.Facts, "EUR", D("2026-06-01")));
    }

    [Fact]
    public void A_contract_signed_again_while_in_force_is_a_correction_of_its_terms_not_a_new_contract()
    {
        var customer = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Amended("main", 14_000, "2026-04-01")
            .Signed("main", 12_500, "2026-01-01", "2027-02-01");

        var contract = Assert.Single(customer.Facts.Contracts.Values);

        Assert.Equal(12_500m, contract.ArrOn(D("2026-02-01")));
        Assert.Equal(14_000m, contract.ArrOn(D("2026-05-01")));
        Assert.Equal(D("2027-02-01"), contract.CoverageEnd);
    }

    [Fact]
    public void Late_facts_of_a_contract_s_earlier_life_count_there_and_not_against_its_new_signature()
    {
        // The first life lapsed on 2026-01-01; the signature again arrives, then the old cancellation and amendment arrive late.
        var customer = new Customer()
            .Signed("main", 10_000, "2025-01-01", "2026-01-01")
            .Signed("main", 13_000, "2026-03-01", "2027-03-01")
            .Cancelled("main", "2025-10-01", reason: "budget", announcedOn: "2025-09-01")
            .Amended("main", 9_000, "2025-06-01");

        Assert.Equal(ContractStatus.Active, customer.Facts.Contracts["main"].StatusOn(D("2026-06-01")));
        Assert.Equal(13_000m, customer.Outlook("2026-06-01").Arr);
        var earlier = Assert.Single(customer.Facts.Contracts.Values, c => c.Signed!.StartsOn == D("2025-01-01"));
        Assert.Equal(D("2025-10-01"), earlier.CoverageEnd);
        Assert.Equal(9_000m, earlier.ArrOn(D("2025-07-01")));
    }

    [Fact]
    public void An_earlier_life_arriving_after_the_new_signature_takes_its_own_facts_with_it()
    {
        var customer = new Customer()
            .Signed("main", 13_000, "2026-03-01", "2027-03-01")
            .Cancelled("main", "2025-10-01", reason: "budget", announcedOn: "2025-09-01")
            .Signed("main", 10_000, "2025-01-01", "2026-01-01");

        Assert.Equal(ContractStatus.Active, customer.Facts.Contracts["main"].StatusOn(D("2026-06-01")));
        Assert.Equal(13_000m, customer.Outlook("2026-06-01").Arr);
        var earlier = Assert.Single(customer.Facts.Contracts.Values, c => c.Signed!.StartsOn == D("2025-01-01"));
        Assert.Equal("budget", earlier.Cancellation!.Reason);
        Assert.Equal(2, customer.Facts.Contracts.Count);
    }
}
