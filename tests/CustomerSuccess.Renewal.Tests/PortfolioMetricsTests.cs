using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Renewal.Domain;
using static CustomerSuccess.Renewal.Tests.Customer;

namespace CustomerSuccess.Renewal.Tests;

/// <summary>
/// A small portfolio worked out on paper, period [2026-01-01, 2027-01-01), asked on 2026-11-01:
/// <code>
/// EUR  customer  contract                                   ARR on from   ARR on to   class
///      a         10 000, 2025-07-01..2026-07-01, renewed    10 000        12 000      expansion +2 000   (term end 2026-07-01 due, renewed)
///                on 2026-06-15 at 12 000 to 2027-07-01
///      b         20 000, 2025-03-01..2026-03-01, lapsed     20 000             0      churned 20 000     (term end 2026-03-01 due, not renewed)
///      c          8 000, 2025-01-01..2027-06-01, amended     8 000         6 000      contraction 2 000
///                to 6 000 from 2026-05-01
///      d          5 000, 2025-06-01..2026-06-01, cancelled    5 000             0      churned 5 000      (term end 2026-06-01 due, not renewed)
///                effective 2026-04-01
///      e          7 000, 2026-09-01..2027-09-01             not in cohort   7 000      new ARR 7 000
/// startingArr 43 000, endingArr 18 000 (12 000 + 6 000), churned 25 000, contraction 2 000, expansion 2 000
/// GRR = (43 000 − 25 000 − 2 000) / 43 000 = 16 000 / 43 000 = 0.3721;  NRR = 18 000 / 43 000 = 0.4186
/// logo churn = 2 churned / 4 in the cohort = 0.5
/// renewals due 3 (a, b, d), renewed 1: rate 0.3333; by ARR 10 000 / (10 000 + 20 000 + 5 000) = 0.2857
/// ARR at risk: c is high now, its ARR on 2026-11-01 is 6 000
/// USD  f         10 000 USD, 2025-01-01..2027-03-01: starting = ending = 10 000, GRR = NRR = 1, never added to EUR.
/// </code>
/// </summary>
public class PortfolioMetricsTests
{
    private static readonly DateOnly s_from = D("2026-01-01");
    private static readonly DateOnly s_to = D("2027-01-01");
    private static readonly DateOnly s_now = D("2026-11-01");

    private static List<CustomerRenewal> Portfolio()
    {
        var a = new Customer("a").Signed("a-main", 10_000, "2025-07-01", "2026-07-01").Renewed("a-main", 12_000, "2027-07-01", signedOn: "2026-06-15")
            .Health("2026-10-01", HealthBand.Green, Quadrant.Q1);
        var b = new Customer("b").Signed("b-main", 20_000, "2025-03-01", "2026-03-01");
        var c = new Customer("c").Signed("c-main", 8_000, "2025-01-01", "2027-06-01").Amended("c-main", 6_000, "2026-05-01")
            .Tier(CustomerTier.KeyAccount).Health("2026-10-01", HealthBand.Red, Quadrant.Q4);
        c.Evaluate("2026-10-02");
        var d = new Customer("d").Signed("d-main", 5_000, "2025-06-01", "2026-06-01").Cancelled("d-main", "2026-04-01", reason: "price", competitor: "Rival Inc");
        var e = new Customer("e").Signed("e-main", 7_000, "2026-09-01", "2027-09-01");
        var f = new Customer("f").Signed("f-main", 10_000, "2025-01-01", "2027-03-01", currency: "USD");
        return [a.Facts, b.Facts, c.Facts, d.Facts, e.Facts, f.Facts];
    }

    private static CurrencyMetrics Eur(IReadOnlyCollection<CustomerRenewal> portfolio) =>
        PortfolioMetrics.Compute(portfolio, s_from, s_to, s_now).Single(m => m.Currency == "EUR");

    [Fact]
    public void Starting_and_ending_ARR_churn_contraction_expansion_and_new_ARR_are_per_cohort_customer()
    {
        var eur = Eur(Portfolio());

        Assert.Equal(43_000m, eur.StartingArr);
        Assert.Equal(18_000m, eur.EndingArr);
        Assert.Equal(25_000m, eur.ChurnedArr);
        Assert.Equal(2_000m, eur.ContractionArr);
        Assert.Equal(2_000m, eur.ExpansionArr);
        Assert.Equal(7_000m, eur.NewArr);
    }

    [Fact]
    public void GRR_NRR_and_logo_churn_follow_the_definitions()
    {
        var eur = Eur(Portfolio());

        Assert.Equal(0.3721m, eur.Grr);
        Assert.Equal(0.4186m, eur.Nrr);
        Assert.Equal(4, eur.CohortCustomers);
        Assert.Equal(2, eur.ChurnedCustomers);
        Assert.Equal(0.5m, eur.LogoChurnRate);
    }

    [Fact]
    public void Renewal_rate_counts_terms_ending_in_the_period_by_count_and_by_ARR_due()
    {
        var eur = Eur(Portfolio());

        Assert.Equal(3, eur.RenewalsDue);
        Assert.Equal(1, eur.Renewed);
        Assert.Equal(0.3333m, eur.RenewalRate);
        Assert.Equal(0.2857m, eur.RenewalRateArr);
    }

    [Fact]
    public void ARR_at_risk_and_the_tier_by_band_distribution_are_as_of_now()
    {
        var eur = Eur(Portfolio());

        Assert.Equal(6_000m, eur.ArrAtRisk);
        Assert.Equal(
            [
                new DistributionCell(CustomerTier.Standard, null, 1, 7_000m),
                new DistributionCell(CustomerTier.Standard, HealthBand.Green, 1, 12_000m),
                new DistributionCell(CustomerTier.KeyAccount, HealthBand.Red, 1, 6_000m),
            ],
            eur.Distribution);
    }

    [Fact]
    public void Currencies_are_never_summed()
    {
        var all = PortfolioMetrics.Compute(Portfolio(), s_from, s_to, s_now);

        Assert.Equal(["EUR", "USD"], all.Select(m => m.Currency));
        var usd = all.Single(m => m.Currency == "USD");
        Assert.Equal(10_000m, usd.StartingArr);
        Assert.Equal(10_000m, usd.EndingArr);
        Assert.Equal(1m, usd.Grr);
        Assert.Equal(1m, usd.Nrr);
        Assert.Equal(0, usd.RenewalsDue);
        Assert.Null(usd.RenewalRate);
    }

    [Fact]
    public void A_past_period_s_metrics_do_not_change_when_an_unrelated_event_arrives_late()
    {
        var portfolio = Portfolio();
        var before = Eur(portfolio);

        // Arriving now: an amendment effective after the period, an invoice and a stakeholder change.
        var c = portfolio.Single(p => p.Id == "c");
        c.Evolve(new ContractAmended { EventId = "late-1", CustomerId = "c", OccurredAt = At("2027-02-01"), ReceivedAt = At("2027-02-01"), ContractId = "c-main", Arr = 9_000, Seats = 12, EffectiveOn = D("2027-02-01") });
        c.Evolve(new InvoicePaid { EventId = "late-2", CustomerId = "c", OccurredAt = At("2026-03-01"), ReceivedAt = At("2027-02-01"), InvoiceId = "x", PaidOn = D("2026-03-01") });
        var after = Eur(portfolio);

        Assert.Equal(before with { Distribution = [] }, after with { Distribution = [] });
    }

    [Fact]
    public void A_late_event_dated_inside_the_period_lands_where_its_date_puts_it()
    {
        var portfolio = Portfolio();
        var c = portfolio.Single(p => p.Id == "c");

        // An expansion effective in December, recorded in February: the period's ending ARR includes it.
        c.Evolve(new ContractAmended { EventId = "late-3", CustomerId = "c", OccurredAt = At("2027-02-01"), ReceivedAt = At("2027-02-01"), ContractId = "c-main", Arr = 9_000, Seats = 12, EffectiveOn = D("2026-12-01") });
        var eur = Eur(portfolio);

        Assert.Equal(21_000m, eur.EndingArr);
        Assert.Equal(0m, eur.ContractionArr);
        Assert.Equal(3_000m, eur.ExpansionArr);
    }

    [Fact]
    public void An_empty_period_has_no_ratios_and_to_must_follow_from()
    {
        var none = PortfolioMetrics.Compute([new Customer("x").Signed("x", 1_000, "2030-01-01", "2031-01-01").Facts], s_from, s_to, s_now).Single();

        Assert.Null(none.Grr);
        Assert.Null(none.LogoChurnRate);
        Assert.Throws<ArgumentException>(() => PortfolioMetrics.Compute([], s_to, s_from, s_now));
    }

    [Fact]
    public void A_customer_whose_only_contract_in_force_is_free_is_in_the_cohort_and_not_churned_while_it_lasts()
    {
        var pilot = new Customer("pilot").Signed("pilot-main", 0, "2025-10-01", "2027-10-01");
        var lostPilot = new Customer("lost-pilot").Signed("lost-main", 0, "2025-10-01", "2026-04-01");

        var eur = Eur([.. Portfolio(), pilot.Facts, lostPilot.Facts]);

        Assert.Equal(6, eur.CohortCustomers);
        Assert.Equal(3, eur.ChurnedCustomers);
        Assert.Equal(43_000m, eur.StartingArr);
        Assert.Equal(25_000m, eur.ChurnedArr);
        Assert.Equal(0.5m, eur.LogoChurnRate);
    }
}
