using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>Customer experience: service, product quality, sentiment, relationship and advocacy.</summary>
public class ExperienceMeasureTests
{
    private static readonly TimeSpan s_minutes30 = TimeSpan.FromMinutes(30);

    private static HealthResult Health(CustomerHistory history) => history.WithSeats().HeavyUse().Health();

    [Fact]
    public void First_response_within_the_category_SLA_scores_full_marks()
    {
        var health = Health(new CustomerHistory().Ticket("T-1", TicketCategory.Operational, TicketPriority.Normal, 10, respondAfter: TimeSpan.FromHours(3)));

        var response = health.Contribution(MeasureNames.FirstResponseTime);
        Assert.Equal(100, response.Raw);
        Assert.Equal(100, response.Normalized);
    }

    [Fact]
    public void An_incident_answered_after_three_hours_breaches_its_SLA_where_an_operational_question_would_not()
    {
        var incident = Health(new CustomerHistory().Ticket("T-1", TicketCategory.Incident, TicketPriority.Urgent, 10, respondAfter: TimeSpan.FromHours(3)));

        var response = incident.Contribution(MeasureNames.FirstResponseTime);
        Assert.Equal(0, response.Raw);
        Assert.Contains("target 1 h", response.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_level_attainment_weighs_tickets_by_urgency()
    {
        var health = Health(new CustomerHistory()
            .Ticket("INC", TicketCategory.Incident, TicketPriority.Urgent, 10, respondAfter: TimeSpan.FromHours(5))
            .Ticket("REQ", TicketCategory.Request, TicketPriority.Low, 10, respondAfter: TimeSpan.FromHours(5)));

        Assert.Equal(25, health.Contribution(MeasureNames.FirstResponseTime).Raw);
    }

    [Fact]
    public void An_unanswered_ticket_counts_as_a_breach_once_past_its_SLA_and_is_not_judged_before()
    {
        var overdue = Health(new CustomerHistory().Ticket("T-1", TicketCategory.Operational, TicketPriority.Normal, 2));
        var pending = Health(new CustomerHistory().Ticket("T-1", TicketCategory.Operational, TicketPriority.Normal, 0, hour: 10));

        Assert.Equal(0, overdue.Contribution(MeasureNames.FirstResponseTime).Raw);
        Assert.Null(pending.Contribution(MeasureNames.FirstResponseTime).Raw);
    }

    [Fact]
    public void Resolution_time_is_judged_against_the_category_resolution_SLA()
    {
        var health = Health(new CustomerHistory()
            .Ticket("T-1", TicketCategory.Operational, TicketPriority.Normal, 20, s_minutes30, resolveAfter: TimeSpan.FromHours(20))
            .Ticket("T-2", TicketCategory.Operational, TicketPriority.Normal, 10, s_minutes30, resolveAfter: TimeSpan.FromHours(30)));

        var resolution = health.Contribution(MeasureNames.ResolutionTime);
        Assert.Equal(50, resolution.Raw);
        Assert.Equal(18.2, resolution.Normalized);
    }

    [Fact]
    public void Reopened_tickets_count_against_experience()
    {
        var history = new CustomerHistory();
        for (var i = 0; i < 4; i++)
        {
            history.Ticket($"T-{i}", TicketCategory.Operational, TicketPriority.Normal, 10 + i, s_minutes30, TimeSpan.FromHours(2),
                reopenAfter: i == 0 ? TimeSpan.FromHours(30) : null);
        }

        var reopen = Health(history).Contribution(MeasureNames.ReopenRate);

        Assert.Equal(25, reopen.Raw);
        Assert.Equal(0, reopen.Normalized);
        Assert.Contains("1 of 4 resolved tickets reopened", reopen.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Incident_tickets_are_the_product_quality_complaints()
    {
        var history = new CustomerHistory()
            .Ticket("I-1", TicketCategory.Incident, TicketPriority.Urgent, 10, s_minutes30)
            .Ticket("I-2", TicketCategory.Incident, TicketPriority.High, 40, s_minutes30)
            .Ticket("Q-1", TicketCategory.Operational, TicketPriority.Normal, 5, s_minutes30);

        var load = Health(history).Contribution(MeasureNames.IncidentLoad);

        Assert.Equal(2, load.Raw);
        Assert.Equal(60, load.Normalized);
    }

    [Fact]
    public void Nps_is_promoters_minus_detractors_over_the_latest_answer_of_each_person()
    {
        var history = new CustomerHistory()
            .Survey(SurveyKind.Nps, 10, 30, "ann")
            .Survey(SurveyKind.Nps, 9, 20, "bob")
            .Survey(SurveyKind.Nps, 8, 20, "cid")
            .Survey(SurveyKind.Nps, 2, 60, "dan")
            .Survey(SurveyKind.Nps, 9, 10, "dan"); // dan changed his mind

        var nps = Health(history).Contribution(MeasureNames.Nps);

        Assert.Equal(75, nps.Raw);
        Assert.Equal(100, nps.Normalized);
    }

    [Fact]
    public void Nps_of_zero_is_the_neutral_midpoint()
    {
        var history = new CustomerHistory().Survey(SurveyKind.Nps, 10, 5, "ann").Survey(SurveyKind.Nps, 3, 5, "bob").Survey(SurveyKind.Nps, 7, 5, "cid");

        var nps = Health(history).Contribution(MeasureNames.Nps);

        Assert.Equal(0, nps.Raw);
        Assert.Equal(50, nps.Normalized);
    }

    [Fact]
    public void Csat_averages_the_answers()
    {
        var history = new CustomerHistory().Survey(SurveyKind.Csat, 4, 5).Survey(SurveyKind.Csat, 3, 6).Survey(SurveyKind.Csat, 5, 7).Survey(SurveyKind.Csat, 1, 120);

        var csat = Health(history).Contribution(MeasureNames.Csat);

        Assert.Equal(4, csat.Raw);
        Assert.Equal(80, csat.Normalized);
    }

    [Theory]
    [InlineData(2, 100)]
    [InlineData(4, 50)]
    [InlineData(6, 0)]
    [InlineData(7, 0)]
    public void Lower_customer_effort_is_better(int answer, double expected)
    {
        var ces = Health(new CustomerHistory().Survey(SurveyKind.Ces, answer, 5)).Contribution(MeasureNames.Ces);

        Assert.Equal(expected, ces.Normalized);
    }

    [Fact]
    public void Stakeholder_presence_counts_champion_decision_maker_and_executive_sponsor_in_place()
    {
        var history = new CustomerHistory()
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 300, "ann")
            .Stakeholder(StakeholderRole.DecisionMaker, StakeholderChange.Joined, 300, "bob")
            .Stakeholder(StakeholderRole.Admin, StakeholderChange.Joined, 300, "cid");

        var presence = Health(history).Contribution(MeasureNames.StakeholderPresence);

        Assert.Equal(0.667, presence.Raw);
        Assert.Contains("missing executive sponsor", presence.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_stakeholder_leaving_is_a_strong_negative()
    {
        var steady = new CustomerHistory()
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 300, "ann")
            .Stakeholder(StakeholderRole.DecisionMaker, StakeholderChange.Joined, 300, "bob")
            .Stakeholder(StakeholderRole.ExecutiveSponsor, StakeholderChange.Joined, 300, "eve")
            .GoodService();
        var lost = new CustomerHistory()
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 300, "ann")
            .Stakeholder(StakeholderRole.DecisionMaker, StakeholderChange.Joined, 300, "bob")
            .Stakeholder(StakeholderRole.ExecutiveSponsor, StakeholderChange.Joined, 300, "eve")
            .Stakeholder(StakeholderRole.DecisionMaker, StakeholderChange.Left, 12, "bob")
            .GoodService();

        var before = Health(steady);
        var after = Health(lost);

        Assert.Equal(0, after.Contribution(MeasureNames.StakeholderLoss).Normalized);
        Assert.Contains("decision maker left", after.Contribution(MeasureNames.StakeholderLoss).Reason, StringComparison.Ordinal);
        Assert.True(before.Experience - after.Experience >= 20, $"before {before.Experience}, after {after.Experience}");
    }

    [Fact]
    public void Expansion_purchases_and_referrals_are_advocacy()
    {
        var expanded = Health(new CustomerHistory().ContractSigned("C-1", 10_000m, 40, 300).ContractAmended("C-1", 14_000m, 55, 60));
        var referred = Health(new CustomerHistory().Referral(100));
        var downsized = Health(new CustomerHistory().ContractSigned("C-1", 10_000m, 40, 300).ContractAmended("C-1", 8_000m, 30, 60));

        Assert.Equal(1, expanded.Contribution(MeasureNames.Advocacy).Raw);
        Assert.Equal(100, expanded.Contribution(MeasureNames.Advocacy).Normalized);
        Assert.Equal(1, referred.Contribution(MeasureNames.Advocacy).Raw);
        Assert.Null(downsized.Contribution(MeasureNames.Advocacy).Raw);
    }

    [Fact]
    public void A_second_contract_alongside_a_live_one_is_a_cross_sell()
    {
        var health = Health(new CustomerHistory().ContractSigned("C-1", 10_000m, 40, 300).ContractSigned("C-2", 5_000m, 10, 30));

        Assert.Equal(1, health.Contribution(MeasureNames.Advocacy).Raw);
    }

    [Theory]
    [InlineData(new[] { 20, 10 }, 25, 100)]
    [InlineData(new[] { -5 }, -5, 40)]
    [InlineData(new[] { -20, -20, 5 }, -25, 0)]
    [InlineData(new[] { 10, -10 }, 0, 50)]
    public void Activation_index_sums_feedback_sentiment_clamped_to_plus_minus_25(int[] sentiments, double raw, double normalized)
    {
        var history = new CustomerHistory();
        foreach (var sentiment in sentiments)
        {
            history.Feedback(sentiment, 5);
        }

        var friction = Health(history).Contribution(MeasureNames.ActivationFriction);

        Assert.Equal(raw, friction.Raw);
        Assert.Equal(normalized, friction.Normalized);
    }

    [Fact]
    public void Survey_answers_older_than_the_window_no_longer_count()
    {
        var health = Health(new CustomerHistory().Survey(SurveyKind.Csat, 1, 91));

        Assert.Null(health.Contribution(MeasureNames.Csat).Raw);
        Assert.Equal("no data in the last 90 days; weight redistributed", health.Contribution(MeasureNames.Csat).Reason);
    }
}
