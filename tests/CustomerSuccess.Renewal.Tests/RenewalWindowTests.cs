using CustomerSuccess.Renewal.Domain;
using static CustomerSuccess.Renewal.Tests.Customer;

namespace CustomerSuccess.Renewal.Tests;

public class RenewalWindowTests
{
    private static IReadOnlyList<RenewalWindowOpenedRecorded> Windows(IEnumerable<object> events) => events.OfType<RenewalWindowOpenedRecorded>().ToList();

    /// <summary>Runs the daily evaluation on a fake clock from <paramref name="from"/> to <paramref name="to"/>; returns each window opened and the day.</summary>
    private static List<RenewalWindowOpenedRecorded> Daily(Customer customer, string from, string to, RenewalSettings? settings = null)
    {
        var opened = new List<RenewalWindowOpenedRecorded>();
        for (var day = D(from); day <= D(to); day = day.AddDays(1))
        {
            opened.AddRange(Windows(customer.Evaluate(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), settings)));
        }

        return opened;
    }

    [Fact]
    public void The_window_opens_90_days_before_the_end_by_the_passage_of_time_exactly_once()
    {
        var customer = new Customer().Signed("main", 12_000, "2026-01-01", "2027-01-01");

        var opened = Daily(customer, "2026-09-01", "2026-12-31");

        var window = Assert.Single(opened);
        Assert.Equal(D("2026-10-03"), window.OpenedOn);
        Assert.Equal(D("2027-01-01"), window.EndsOn);
        Assert.Equal("main", window.ContractId);
    }

    [Fact]
    public void A_restart_or_replay_rebuilds_the_opened_window_from_the_stream_and_does_not_open_it_again()
    {
        var customer = new Customer().Signed("main", 12_000, "2026-01-01", "2027-01-01");
        Assert.Single(Daily(customer, "2026-10-01", "2026-10-05"));

        // The state rebuilt from its events, as after a restart or a projection rebuild.
        var rebuilt = customer.Facts.Copy();
        Assert.Empty(Windows(RenewalDecider.Decide(rebuilt, new RenewalSettings(), At("2026-10-06"))));
    }

    [Fact]
    public void Difficult_customers_windows_open_earlier_by_tag_and_a_finance_cycle_mismatch_adds_30_days()
    {
        var settings = new RenewalSettings();
        DifficultyAssessment Tags(params string[] tags) => new(
            tags.Contains("very_difficult") ? RenewalDifficulty.VeryDifficult : tags.Contains("difficult") ? RenewalDifficulty.Difficult : RenewalDifficulty.Smooth,
            tags.Select(t => new DifficultyTag(t, "", D("2026-01-01"))).ToList());

        Assert.Equal(90, RenewalWindow.LeadDays(Tags(), settings));
        Assert.Equal(120, RenewalWindow.LeadDays(Tags("difficult"), settings));
        Assert.Equal(150, RenewalWindow.LeadDays(Tags("very_difficult", "difficult"), settings));
        Assert.Equal(120, RenewalWindow.LeadDays(Tags("finance_cycle_mismatch"), settings));
        Assert.Equal(180, RenewalWindow.LeadDays(Tags("very_difficult", "finance_cycle_mismatch"), settings));
    }

    [Fact]
    public void A_very_difficult_customer_s_window_opens_150_days_before_the_end()
    {
        var customer = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Invoice("2026-02-15", "2026-03-10").Invoice("2026-03-15", "2026-04-10");

        var opened = Daily(customer, "2026-07-01", "2026-12-31");

        Assert.Equal(D("2026-08-04"), Assert.Single(opened).OpenedOn);
        Assert.Equal(D("2026-08-04"), customer.Outlook("2026-08-04").WindowOpensOn);
    }

    [Fact]
    public void Each_term_opens_its_own_window_after_a_renewal()
    {
        var customer = new Customer().Signed("main", 12_000, "2026-01-01", "2027-01-01");
        Daily(customer, "2026-10-01", "2026-10-10");
        customer.Renewed("main", 12_000, "2028-01-01", signedOn: "2026-11-01");

        var opened = Daily(customer, "2026-11-01", "2027-12-31");

        Assert.Equal(D("2028-01-01"), Assert.Single(opened).EndsOn);
    }

    [Fact]
    public void Window_length_is_a_setting_and_a_cancelled_contract_opens_none()
    {
        var shortWindow = new RenewalSettings { WindowDays = 30 };
        var customer = new Customer().Signed("main", 12_000, "2026-01-01", "2027-01-01").Signed("addon", 2_000, "2026-01-01", "2027-01-01")
            .Cancelled("addon", "2026-12-31", announcedOn: "2026-09-01");

        var opened = Daily(customer, "2026-09-01", "2026-12-31", shortWindow);

        Assert.Equal(D("2026-12-02"), Assert.Single(opened).OpenedOn);
        Assert.Equal("main", opened[0].ContractId);
    }

    [Fact]
    public void A_window_noticed_late_is_published_as_opened_on_its_business_date()
    {
        // The contract reaches Renewal (a backfill) 40 days into its window: the window opened on 2026-10-03, not today.
        var customer = new Customer().Signed("main", 12_000, "2026-01-01", "2027-01-01", signedAt: "2025-12-01");

        var window = Assert.Single(Windows(customer.Evaluate("2026-11-12")));

        Assert.Equal(D("2026-10-03"), window.OpenedOn);
        Assert.Equal(customer.Outlook("2026-11-12").WindowOpensOn, window.OpenedOn);
    }

    [Fact]
    public void A_contract_shorter_than_its_window_opens_it_on_the_day_it_starts_not_before()
    {
        var customer = new Customer().Signed("pilot", 2_000, "2026-03-01", "2026-05-01");

        var window = Assert.Single(Windows(customer.Evaluate("2026-03-05")));

        Assert.Equal(D("2026-03-01"), window.OpenedOn);
    }

    [Fact]
    public void A_window_lengthened_by_a_tag_found_inside_it_opened_when_the_tag_was_found_not_before()
    {
        // Very difficult from the second late payment on 2026-09-01: the 150-day lead (from 2026-08-04) holds from then on.
        var customer = new Customer()
            .Signed("main", 12_000, "2026-01-01", "2027-01-01")
            .Invoice("2026-07-15", "2026-08-10").Invoice("2026-08-15", "2026-09-01");

        var window = Assert.Single(Windows(customer.Evaluate("2026-09-05")));

        Assert.Equal(D("2026-09-01"), window.OpenedOn);
        Assert.Equal(D("2026-09-01"), customer.Outlook("2026-09-05").WindowOpensOn);
    }
}
