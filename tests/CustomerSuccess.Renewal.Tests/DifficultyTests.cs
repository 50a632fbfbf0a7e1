using CustomerSuccess.Renewal.Domain;

namespace CustomerSuccess.Renewal.Tests;

public class DifficultyTests
{
    [Fact]
    public void A_customer_that_pays_on_time_is_smooth()
    {
        var difficulty = new Customer()
            .Invoice("2026-01-15", "2026-01-05").Invoice("2026-02-15", "2026-02-03").Invoice("2026-03-15", "2026-03-01")
            .Difficulty("2026-06-01");

        Assert.Equal(RenewalDifficulty.Smooth, difficulty.Level);
        Assert.Empty(difficulty.Tags);
    }

    [Fact]
    public void Paying_only_at_the_last_moment_is_difficult_with_the_invoices_as_evidence()
    {
        var difficulty = new Customer()
            .Invoice("2026-01-15", "2026-01-15").Invoice("2026-02-15", "2026-02-14").Invoice("2026-03-15", "2026-03-01")
            .Difficulty("2026-06-01");

        Assert.Equal(RenewalDifficulty.Difficult, difficulty.Level);
        var tag = Assert.Single(difficulty.Tags);
        Assert.Equal("difficult", tag.Tag);
        Assert.Contains("last moment: 2 of 3", tag.Evidence);
        Assert.Contains("due 2026-02-15, paid 2026-02-14", tag.Evidence);
        Assert.Equal(Customer.D("2026-02-14"), tag.Since);
    }

    [Fact]
    public void Renewing_at_a_lower_price_after_negotiation_is_difficult()
    {
        var difficulty = new Customer()
            .Signed("main", 12_000, "2025-01-01", "2026-01-01")
            .Renewed("main", 10_800, "2027-01-01", signedOn: "2025-12-10")
            .Difficulty("2026-06-01");

        Assert.Equal(RenewalDifficulty.Difficult, difficulty.Level);
        Assert.Contains("lower price after negotiation: 10800 EUR, down from 12000 (-10", Assert.Single(difficulty.Tags).Evidence);
    }

    [Fact]
    public void Being_repeatedly_late_is_very_difficult()
    {
        var difficulty = new Customer()
            .Invoice("2026-01-15", "2026-02-10").Invoice("2026-02-15", "2026-02-14").Invoice("2026-03-15", null)
            .Difficulty("2026-04-01");

        Assert.Equal(RenewalDifficulty.VeryDifficult, difficulty.Level);
        var tag = Assert.Single(difficulty.Tags, t => t.Tag == "very_difficult");
        Assert.Contains("2 of 3 invoices paid late or still unpaid past due", tag.Evidence);
        Assert.Contains("inv-2026-01-15 due 2026-01-15 paid 2026-02-10, 26 days late", tag.Evidence);
        Assert.Contains("inv-2026-03-15 due 2026-03-15 unpaid", tag.Evidence);
    }

    [Fact]
    public void One_late_invoice_is_difficult_not_very_difficult()
    {
        var difficulty = new Customer().Invoice("2026-01-15", "2026-01-20").Invoice("2026-02-15", "2026-02-01").Difficulty("2026-04-01");

        Assert.Equal(RenewalDifficulty.Difficult, difficulty.Level);
        Assert.Contains("paid late once", Assert.Single(difficulty.Tags).Evidence);
    }

    [Fact]
    public void Renewing_after_the_contract_had_ended_is_very_difficult()
    {
        var difficulty = new Customer()
            .Signed("main", 12_000, "2025-01-01", "2026-01-01")
            .Renewed("main", 12_000, "2027-01-01", signedOn: "2026-01-20")
            .Difficulty("2026-06-01");

        Assert.Equal(RenewalDifficulty.VeryDifficult, difficulty.Level);
        Assert.Contains("19 days after the term ended on 2026-01-01", Assert.Single(difficulty.Tags).Evidence);
    }

    [Fact]
    public void A_renewal_signed_on_the_day_the_term_ended_is_signed_after_the_contract_had_ended()
    {
        // The term covers up to, not including, its endsOn: on 2026-01-01 the customer had no contract in force.
        var difficulty = new Customer()
            .Signed("main", 12_000, "2025-01-01", "2026-01-01")
            .Renewed("main", 12_000, "2027-01-01", signedOn: "2026-01-01")
            .Difficulty("2026-06-01");

        Assert.Equal(RenewalDifficulty.VeryDifficult, difficulty.Level);
        Assert.Contains("signed 2026-01-01, the day the term ended", Assert.Single(difficulty.Tags).Evidence);
    }

    [Fact]
    public void A_renewal_signed_the_day_before_the_term_ends_is_on_time_and_a_grace_period_is_counted_from_the_end()
    {
        var onTime = new Customer()
            .Signed("main", 12_000, "2025-01-01", "2026-01-01")
            .Renewed("main", 12_000, "2027-01-01", signedOn: "2025-12-31");
        var withinGrace = new Customer()
            .Signed("main", 12_000, "2025-01-01", "2026-01-01")
            .Renewed("main", 12_000, "2027-01-01", signedOn: "2026-01-03");

        Assert.Equal(RenewalDifficulty.Smooth, onTime.Difficulty("2026-06-01").Level);
        // Three days of grace: the 1st, 2nd and 3rd of January.
        Assert.Equal(RenewalDifficulty.Smooth, withinGrace.Difficulty("2026-06-01", new RenewalSettings { RenewedLateGraceDays = 3 }).Level);
        Assert.Equal(RenewalDifficulty.VeryDifficult, withinGrace.Difficulty("2026-06-01", new RenewalSettings { RenewedLateGraceDays = 2 }).Level);
    }

    [Fact]
    public void Invoices_due_on_the_25th_habitually_paid_early_next_month_are_a_finance_cycle_mismatch_not_lateness()
    {
        var difficulty = new Customer()
            .Invoice("2026-01-25", "2026-02-03").Invoice("2026-02-25", "2026-03-04").Invoice("2026-03-25", "2026-04-02")
            .Difficulty("2026-06-01");

        var tag = Assert.Single(difficulty.Tags);
        Assert.Equal("finance_cycle_mismatch", tag.Tag);
        Assert.Contains("3 of 3 invoices due after the 20th (when the finance run closes) were paid early the next month", tag.Evidence);
        Assert.Equal(Customer.D("2026-03-04"), tag.Since);
        Assert.Equal(RenewalDifficulty.Smooth, difficulty.Level);
    }

    [Fact]
    public void A_single_slip_into_next_month_is_no_finance_cycle_habit_but_a_late_payment()
    {
        var difficulty = new Customer().Invoice("2026-01-25", "2026-02-03").Invoice("2026-02-25", "2026-02-20").Difficulty("2026-06-01");

        Assert.False(difficulty.Has("finance_cycle_mismatch"));
        Assert.Equal(RenewalDifficulty.Difficult, difficulty.Level);
    }

    [Fact]
    public void Difficulty_as_of_a_day_ignores_invoices_not_due_and_payments_not_made_by_then()
    {
        var customer = new Customer().Invoice("2026-01-15", "2026-02-10").Invoice("2026-05-15", "2026-06-10");

        Assert.Equal(RenewalDifficulty.Smooth, customer.Difficulty("2026-01-10").Level);
        Assert.Equal(RenewalDifficulty.Difficult, customer.Difficulty("2026-03-01").Level);
        Assert.Equal(RenewalDifficulty.VeryDifficult, customer.Difficulty("2026-07-01").Level);
    }

    [Fact]
    public void Thresholds_are_settings()
    {
        var lenient = new RenewalSettings { LateGraceDays = 30 };

        var difficulty = new Customer().Invoice("2026-01-15", "2026-02-10").Invoice("2026-02-15", "2026-03-01").Difficulty("2026-06-01", lenient);

        Assert.Equal(RenewalDifficulty.Smooth, difficulty.Level);
    }
}
