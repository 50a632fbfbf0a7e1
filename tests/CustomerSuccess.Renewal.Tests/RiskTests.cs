using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Renewal.Domain;
using static CustomerSuccess.Renewal.Tests.Customer;

namespace CustomerSuccess.Renewal.Tests;

public class RiskTests
{
    /// <summary>A healthy customer a year from renewal: the baseline each test changes one thing in.</summary>
    private static Customer Healthy(string endsOn = "2027-06-01") => new Customer()
        .Signed("main", 12_000, "2026-01-01", endsOn)
        .Health("2026-02-01", HealthBand.Green, Quadrant.Q1, score: 82, readings: new HealthReadings { SeatActivation = 0.9, MonthlyActiveUsers = 0.8 });

    private static RiskReason Reason(RiskResult risk, string code) => Assert.Single(risk.Reasons, r => r.Code == code);

    [Fact]
    public void A_healthy_customer_far_from_renewal_is_low_with_no_reasons()
    {
        var risk = Healthy().Risk("2026-06-01");

        Assert.Equal(RiskLevel.Low, risk.Level);
        Assert.Empty(risk.Reasons);
    }

    [Fact]
    public void Yellow_health_is_medium_and_red_health_is_high_since_the_band_first_showed()
    {
        var yellow = Healthy().Health("2026-03-01", HealthBand.Yellow, Quadrant.Q1, score: 55).Risk("2026-06-01");
        var red = Healthy().Health("2026-03-01", HealthBand.Red, Quadrant.Q1, score: 35).Health("2026-04-01", HealthBand.Red, Quadrant.Q1, score: 30).Risk("2026-06-01");

        Assert.Equal(RiskLevel.Medium, yellow.Level);
        Assert.Equal(At("2026-03-01"), Reason(yellow, RiskCodes.HealthYellow).Since);
        Assert.Equal(RiskLevel.High, red.Level);
        Assert.Equal("health is red (30)", Reason(red, RiskCodes.HealthRed).Text);
        Assert.Equal(At("2026-03-01"), Reason(red, RiskCodes.HealthRed).Since);
    }

    [Fact]
    public void A_satisfied_but_unsuccessful_customer_inside_its_renewal_window_is_at_least_high()
    {
        var customer = Healthy(endsOn: "2026-08-01").Health("2026-03-01", HealthBand.Green, Quadrant.Q2, score: 72);

        var before = customer.Risk("2026-04-01");
        var inside = customer.Risk("2026-06-01");

        Assert.Equal(RiskLevel.Medium, before.Level);
        Assert.Equal(RiskLevel.High, inside.Level);
        Assert.Contains("inside the renewal window", Reason(inside, RiskCodes.SatisfiedButUnsuccessful).Text);
        Assert.Equal(Midnight("2026-05-03"), Reason(inside, RiskCodes.RenewalWindowOpen).Since);
    }

    [Fact]
    public void A_failing_customer_is_high_and_a_declining_trend_is_a_reason_of_its_own()
    {
        var failing = Healthy().Health("2026-03-01", HealthBand.Red, Quadrant.Q4, HealthTrend.Declining, score: 25).Risk("2026-06-01");

        Assert.Equal(RiskLevel.Critical, failing.Level); // red and Q4 are two high reasons
        Assert.Contains(failing.Reasons, r => r.Code == RiskCodes.Failing);
        Assert.Contains(failing.Reasons, r => r.Code == RiskCodes.HealthDeclining);
    }

    [Fact]
    public void A_champion_leaving_within_90_days_of_renewal_is_at_least_high_and_earlier_it_is_medium()
    {
        var near = Healthy(endsOn: "2026-08-01").Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, "2026-06-01", "jane").Risk("2026-06-02");
        var far = Healthy().Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, "2026-06-01", "jane").Risk("2026-06-02");

        Assert.Equal(RiskLevel.High, near.Level);
        Assert.Contains("the champion (jane) left on 2026-06-01 and nobody replaced them, within 90 days", Reason(near, RiskCodes.ChampionLeft).Text);
        Assert.Equal(RiskLevel.Medium, far.Level);
        Assert.Equal(At("2026-06-01"), Reason(far, RiskCodes.ChampionLeft).Since);
    }

    [Fact]
    public void A_replaced_decision_maker_is_no_reason_but_one_who_left_alone_is()
    {
        var replaced = Healthy()
            .Stakeholder(StakeholderRole.DecisionMaker, StakeholderChange.Left, "2026-05-01")
            .Stakeholder(StakeholderRole.DecisionMaker, StakeholderChange.Joined, "2026-05-20");
        var gone = Healthy().Stakeholder(StakeholderRole.DecisionMaker, StakeholderChange.Left, "2026-05-01");

        Assert.Empty(replaced.Risk("2026-06-01").Reasons);
        Assert.Equal(RiskLevel.Medium, gone.Risk("2026-06-01").Level);
        Reason(gone.Risk("2026-06-01"), RiskCodes.DecisionMakerLeft);
        Assert.Empty(gone.Risk("2027-01-01").Reasons); // older than 180 days
    }

    [Fact]
    public void Breached_incident_SLAs_low_seat_activation_and_a_usage_drop_come_from_HealthScore_s_readings()
    {
        var customer = Healthy()
            .Health("2026-03-01", HealthBand.Green, Quadrant.Q1, score: 75, readings: new HealthReadings
            {
                SeatActivation = 0.3, MonthlyActiveUsers = 0.5, IncidentTickets = 3, FirstResponseSlaMet = 40, ResolutionSlaMet = 90,
            });

        var risk = customer.Risk("2026-03-02");

        Assert.Contains("3 incident tickets with SLAs breached: 40% first responses", Reason(risk, RiskCodes.IncidentSlaBreached).Text);
        Assert.Contains("only 30 % of assigned seats active", Reason(risk, RiskCodes.LowSeatActivation).Text);
        var drop = Reason(risk, RiskCodes.UsageDrop);
        Assert.Contains("38 % below the customer's own 90-day high of 80 %", drop.Text);
        Assert.Equal(RiskLevel.High, risk.Level); // three medium reasons escalate to high
    }

    [Fact]
    public void A_deep_usage_drop_is_high_on_its_own_and_the_baseline_forgets_old_highs()
    {
        var customer = Healthy().Health("2026-03-01", HealthBand.Green, Quadrant.Q1, score: 72, readings: new HealthReadings { SeatActivation = 0.9, MonthlyActiveUsers = 0.2 });

        Assert.Equal(RiskLevel.High, customer.Risk("2026-03-02").Level);
        Assert.Single(customer.Risk("2026-03-02").Findings, f => f is { Reason.Code: RiskCodes.UsageDrop, Severity: RiskLevel.High });
        Assert.DoesNotContain(customer.Risk("2026-07-01").Reasons, r => r.Code == RiskCodes.UsageDrop);
    }

    [Fact]
    public void Difficulty_is_a_reason_medium_when_difficult_high_when_very_difficult_and_the_finance_cycle_is_noted()
    {
        var difficult = Healthy().Invoice("2026-02-15", "2026-02-20").Risk("2026-06-01");
        var veryDifficult = Healthy().Invoice("2026-02-15", "2026-02-20").Invoice("2026-03-15", "2026-03-30").Risk("2026-06-01");
        var financeCycle = Healthy().Invoice("2026-02-25", "2026-03-03").Invoice("2026-03-25", "2026-04-02").Risk("2026-06-01");

        Assert.Equal(RiskLevel.Medium, difficult.Level);
        Assert.Contains("difficult to renew: paid late once", Reason(difficult, RiskCodes.RenewalDifficult).Text);
        Assert.Equal(RiskLevel.High, veryDifficult.Level);
        Assert.Equal(Midnight("2026-03-30"), Reason(veryDifficult, RiskCodes.RenewalVeryDifficult).Since);
        Assert.Equal(RiskLevel.Low, financeCycle.Level);
        Assert.Contains("book the renewal early", Reason(financeCycle, RiskCodes.FinanceCycleMismatch).Text);
    }

    [Fact]
    public void Overdue_delivery_and_first_value_are_reasons_until_Lifecycle_says_they_are_no_longer_overdue()
    {
        var customer = Healthy().Overdue(Milestone.Delivered, "2026-04-01").Overdue(Milestone.FirstValue, "2026-03-01");

        var risk = customer.Risk("2026-06-01");
        Assert.Equal(Midnight("2026-04-01"), Reason(risk, RiskCodes.DeliveryOverdue).Since);
        Reason(risk, RiskCodes.FirstValueOverdue);
        Assert.Equal(RiskLevel.Medium, risk.Level);

        customer.Overdue(Milestone.Delivered, "2026-04-01", overdue: false).Overdue(Milestone.FirstValue, "2026-03-01", overdue: false);
        Assert.Empty(customer.Risk("2026-06-01").Reasons);
    }

    [Fact]
    public void A_term_ending_within_30_days_unrenewed_is_medium_and_a_lapsed_contract_is_critical()
    {
        var customer = Healthy(endsOn: "2026-07-01");

        Assert.Equal(RiskLevel.Medium, customer.Risk("2026-06-10").Level);
        Assert.Equal(Midnight("2026-06-01"), Reason(customer.Risk("2026-06-10"), RiskCodes.RenewalImminent).Since);
        var lapsed = customer.Risk("2026-07-05");
        Assert.Equal(RiskLevel.Critical, lapsed.Level);
        Assert.Equal("contract main ended on 2026-07-01 without a renewal (12000 EUR ARR)", Reason(lapsed, RiskCodes.ContractLapsed).Text);
    }

    [Fact]
    public void A_cancelled_current_contract_is_critical_with_reason_and_competitor()
    {
        var risk = Healthy().Cancelled("main", "2026-09-01", reason: "budget", competitor: "Rival Inc", announcedOn: "2026-06-01").Risk("2026-06-02");

        Assert.Equal(RiskLevel.Critical, risk.Level);
        var reason = Reason(risk, RiskCodes.ContractCancelled);
        Assert.Equal("contract main cancelled effective 2026-09-01, reason: budget, competitor: Rival Inc", reason.Text);
        Assert.Equal(At("2026-06-01").Date, reason.Since.Date);
    }

    [Fact]
    public void Reasons_are_ordered_most_severe_first_and_levels_escalate_by_count()
    {
        var settings = new RenewalSettings();
        RiskFinding F(RiskLevel severity, string code) => new(new RiskReason(code, code, At("2026-01-01")), severity);

        Assert.Equal(RiskLevel.Low, RenewalRisk.LevelOf([F(RiskLevel.Low, "a")], settings));
        Assert.Equal(RiskLevel.Medium, RenewalRisk.LevelOf([F(RiskLevel.Medium, "a"), F(RiskLevel.Medium, "b")], settings));
        Assert.Equal(RiskLevel.High, RenewalRisk.LevelOf([F(RiskLevel.Medium, "a"), F(RiskLevel.Medium, "b"), F(RiskLevel.Medium, "c")], settings));
        Assert.Equal(RiskLevel.Critical, RenewalRisk.LevelOf([F(RiskLevel.High, "a"), F(RiskLevel.High, "b")], settings));
        var risk = Healthy().Health("2026-03-01", HealthBand.Yellow, Quadrant.Q4, HealthTrend.Declining).Risk("2026-06-01");
        Assert.Equal(RiskCodes.Failing, risk.Reasons[0].Code);
    }

    [Fact]
    public void Re_assessing_an_unchanged_customer_appends_nothing_and_a_change_appends_one_assessment_with_the_previous_level()
    {
        var customer = Healthy();
        var first = Assert.IsType<RiskAssessed>(Assert.Single(customer.Evaluate("2026-06-01")));
        Assert.Equal(RiskLevel.Low, first.Level);
        Assert.Null(first.PreviousLevel);

        Assert.Empty(customer.Evaluate("2026-06-02"));
        Assert.Empty(customer.Evaluate("2026-06-20"));

        customer.Health("2026-06-20", HealthBand.Red, Quadrant.Q1, score: 30);
        var changed = Assert.IsType<RiskAssessed>(Assert.Single(customer.Evaluate("2026-06-21")));
        Assert.Equal(RiskLevel.High, changed.Level);
        Assert.Equal(RiskLevel.Low, changed.PreviousLevel);
        Assert.Equal("main", changed.ContractId);
        Assert.Equal(D("2027-06-01"), changed.EndsOn);
        Assert.Equal(12_000m, changed.Arr);
        Assert.Equal("EUR", changed.Currency);
    }

    [Fact]
    public void A_late_health_reading_from_before_the_latest_does_not_replace_the_current_health()
    {
        var customer = Healthy().Health("2026-05-01", HealthBand.Red, Quadrant.Q4, score: 20).Health("2026-04-01", HealthBand.Green, Quadrant.Q1, score: 80);

        Assert.Contains(customer.Risk("2026-06-01").Reasons, r => r.Code == RiskCodes.HealthRed);
    }

    [Fact]
    public void The_risk_level_holds_since_the_first_reason_that_called_for_it_not_since_it_was_evaluated()
    {
        // Red from 2026-03-01 (high); the champion left on 2026-05-10 (medium): high since March, whenever it is asked.
        var customer = Healthy().Health("2026-03-01", HealthBand.Red, Quadrant.Q1, score: 35).Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, "2026-05-10");

        var risk = customer.Risk("2026-06-01");
        var assessed = Assert.IsType<RiskAssessed>(Assert.Single(customer.Evaluate("2026-06-01")));

        Assert.Equal(RiskLevel.High, risk.Level);
        Assert.Equal(At("2026-03-01"), risk.Since);
        Assert.Equal(At("2026-03-01"), assessed.LevelSince);
    }

    [Fact]
    public void An_escalated_level_holds_since_the_reason_that_completed_the_escalation()
    {
        // Three medium reasons make it high: yellow since 2026-03-01, declining since 2026-04-01, champion gone since 2026-05-10.
        var customer = Healthy()
            .Health("2026-03-01", HealthBand.Yellow, Quadrant.Q1, score: 55)
            .Health("2026-04-01", HealthBand.Yellow, Quadrant.Q1, HealthTrend.Declining, score: 50)
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, "2026-05-10");

        var risk = customer.Risk("2026-06-01");

        Assert.Equal(RiskLevel.High, risk.Level);
        Assert.Equal(At("2026-05-10"), risk.Since);
    }
}
