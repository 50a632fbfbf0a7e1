using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>The rollup document: arrival order, retention, caps and serialisation.</summary>
public class CustomerFactsTests
{
    private static CustomerHistory RichHistory() =>
        new CustomerHistory()
            .Profile(keyAccount: false, daysAgo: 300)
            .WithSeats()
            .ContractSigned("C-1", 20_000m, 40, 300)
            .ContractAmended("C-1", 26_000m, 50, 40)
            .HeavyUse(fromDaysAgo: 45)
            .GoodService()
            .BadService()
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 200, "ann")
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, 20, "ann")
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 10, "bea")
            .Referral(50)
            .Feedback(10, 30)
            .Feedback(-5, 20)
            .Survey(SurveyKind.Ces, 3, 12);

    private static string Json(CustomerFacts facts) => JsonSerializer.Serialize(facts);

    private static List<CustomerEvent> Shuffled(IEnumerable<CustomerEvent> events, int seed)
    {
        var list = events.ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_same_events_in_any_arrival_order_build_the_same_facts_and_the_same_health(int seed)
    {
        var history = RichHistory();
        var inOrder = CustomerHistory.Roll(history.Events);
        var shuffled = CustomerHistory.Roll(Shuffled(history.Events, seed));

        Assert.Equal(Json(inOrder), Json(shuffled));
        var expected = HealthEvaluation.Evaluate(inOrder, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Mature, CustomerHistory.AsOf);
        var actual = HealthEvaluation.Evaluate(shuffled, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Mature, CustomerHistory.AsOf);
        Assert.Equal(expected.Contributions, actual.Contributions);
        Assert.Equal(expected.Score, actual.Score);
    }

    [Fact]
    public void Reversed_arrival_gives_the_same_facts()
    {
        var history = RichHistory();

        Assert.Equal(Json(CustomerHistory.Roll(history.Events)), Json(CustomerHistory.Roll(history.Events.Reverse())));
    }

    [Fact]
    public void A_late_event_counts_at_when_it_happened_not_when_it_arrived()
    {
        var history = new CustomerHistory().WithSeats().HeavyUse().Survey(SurveyKind.Nps, 0, daysAgo: 10, userId: "late");
        var late = history.Events[^1];
        var facts = CustomerHistory.Roll(history.Events.Take(history.Events.Count - 1));

        var before = HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Mature, CustomerHistory.AsOf);
        facts.Record(late);
        var after = HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Mature, CustomerHistory.AsOf);
        var asOfBeforeIt = HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Mature, CustomerHistory.DaysAgo(11));

        Assert.Null(before.Contribution(MeasureNames.Nps).Raw);
        Assert.Equal(-100, after.Contribution(MeasureNames.Nps).Raw);
        Assert.Null(asOfBeforeIt.Contribution(MeasureNames.Nps).Raw);
    }

    [Fact]
    public void Ticket_events_arriving_before_the_opening_still_build_the_timeline()
    {
        var history = new CustomerHistory().Ticket("T-1", TicketCategory.Incident, TicketPriority.Urgent, 5, TimeSpan.FromMinutes(20), TimeSpan.FromHours(4));
        var facts = CustomerHistory.Roll(history.Events.Reverse());

        var ticket = Assert.Single(facts.Tickets);
        Assert.Equal(TicketCategory.Incident, ticket.Category);
        Assert.Equal(CustomerHistory.DaysAgo(5, 9).AddMinutes(20), ticket.FirstResponseAt);
        Assert.Single(ticket.Resolutions);
    }

    [Fact]
    public void Redelivered_survey_answers_count_once()
    {
        var history = new CustomerHistory().WithSeats().Survey(SurveyKind.Csat, 1, 3).Survey(SurveyKind.Csat, 5, 4);
        var facts = CustomerHistory.Roll(history.Events.Concat(history.Events));

        Assert.Equal(2, facts.Surveys.Count);
    }

    [Fact]
    public void The_facts_take_the_customer_id_of_their_events()
    {
        Assert.Equal("globex", new CustomerHistory("globex").WithSeats().Facts().Id);
    }

    [Fact]
    public void Two_years_of_daily_use_keep_only_the_retention_window_of_day_buckets()
    {
        var history = new CustomerHistory().WithSeats();
        for (var daysAgo = 730; daysAgo >= 1; daysAgo--)
        {
            history.Use("u1", UserRole.Operator, "message.sent", daysAgo).Use("u2", UserRole.Finance, "invoice.exported", daysAgo);
        }

        var facts = history.Facts();

        Assert.InRange(facts.UsageDays.Count, 395, ScoringModel.DefaultRetentionDays + 1);
        Assert.True(facts.UsageDays[0].Date >= DateOnly.FromDateTime(facts.LatestOccurredAt!.Value.UtcDateTime).AddDays(-ScoringModel.DefaultRetentionDays));
        Assert.Equal(facts.UsageDays.Count, facts.UsageDays.Select(d => d.Date).Distinct().Count());
    }

    [Fact]
    public void Old_tickets_surveys_and_feedback_are_pruned_but_state_still_in_force_is_kept()
    {
        var history = new CustomerHistory()
            .Seats(40, daysAgo: 700)
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 720, "ann")
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Joined, 650, "old")
            .Stakeholder(StakeholderRole.Champion, StakeholderChange.Left, 600, "old")
            .Ticket("OLD", TicketCategory.Request, TicketPriority.Low, 600, TimeSpan.FromHours(1), TimeSpan.FromHours(5))
            .Survey(SurveyKind.Nps, 10, 500)
            .Feedback(10, 450)
            .Ticket("NEW", TicketCategory.Request, TicketPriority.Low, 5, TimeSpan.FromHours(1), TimeSpan.FromHours(5))
            .Use("u1", UserRole.Operator, "message.sent", 1);

        var facts = history.Facts();
        var health = HealthEvaluation.Evaluate(facts, ScoringModel.Default, CustomerTier.Standard, LifecycleStage.Mature, CustomerHistory.AsOf);

        Assert.Equal("NEW", Assert.Single(facts.Tickets).TicketId);
        Assert.Empty(facts.Surveys);
        Assert.Empty(facts.Feedback);
        Assert.Single(facts.Seats);
        Assert.Equal(2, facts.Stakeholders.Count); // ann joined; "old" only by their departure
        Assert.Equal(1.0 / 3, health.Contribution(MeasureNames.StakeholderPresence).Raw!.Value, 0.001);
        Assert.Equal(1.0 / 40, health.Contribution(MeasureNames.MonthlyActiveUsers).Raw!.Value, 0.001);
    }

    [Fact]
    public void Pruning_does_not_depend_on_arrival_order()
    {
        var history = new CustomerHistory().Seats(30, daysAgo: 700).Seats(40, daysAgo: 500);
        for (var daysAgo = 720; daysAgo >= 1; daysAgo -= 3)
        {
            history.Use($"u{daysAgo % 7}", UserRole.Operator, "message.sent", daysAgo)
                .Survey(SurveyKind.Csat, 1 + (daysAgo % 5), daysAgo, $"u{daysAgo % 7}");
            if (daysAgo % 30 == 0)
            {
                history.Ticket($"T-{daysAgo}", TicketCategory.Operational, TicketPriority.Normal, daysAgo, TimeSpan.FromHours(1), TimeSpan.FromHours(6));
            }
        }

        Assert.Equal(Json(history.Facts()), Json(CustomerHistory.Roll(Shuffled(history.Events, 42))));
        Assert.Equal(Json(history.Facts()), Json(CustomerHistory.Roll(history.Events.Reverse())));
    }

    [Fact]
    public void Retention_is_configurable_on_the_document()
    {
        var history = new CustomerHistory().WithSeats();
        for (var daysAgo = 300; daysAgo >= 1; daysAgo--)
        {
            history.Use("u1", UserRole.Operator, "message.sent", daysAgo);
        }

        var facts = CustomerHistory.Roll(history.Events, new CustomerFacts { RetentionDays = 150 });

        Assert.InRange(facts.UsageDays.Count, 148, 151);
    }

    [Fact]
    public void Users_per_day_are_capped_keeping_the_same_users_whatever_the_arrival_order()
    {
        var history = new CustomerHistory().WithSeats();
        for (var u = 9; u >= 0; u--)
        {
            history.Use($"user-{u}", UserRole.Operator, "message.sent", 2);
        }

        var forward = CustomerHistory.Roll(history.Events, new CustomerFacts { MaxUsersPerDay = 5 });
        var backward = CustomerHistory.Roll(history.Events.Reverse(), new CustomerFacts { MaxUsersPerDay = 5 });

        var day = Assert.Single(forward.UsageDays);
        Assert.Equal(new[] { "user-0", "user-1", "user-2", "user-3", "user-4" }, day.Users.Keys);
        Assert.Equal(10L, day.FeatureQuantities["message.sent"]);
        Assert.Equal(Json(forward), Json(backward));
    }

    [Fact]
    public void The_document_round_trips_through_json_and_keeps_rolling_up()
    {
        var history = RichHistory();
        var original = history.Facts();

        var restored = JsonSerializer.Deserialize<CustomerFacts>(Json(original))!;
        var expected = HealthEvaluation.Evaluate(original, ScoringModel.Default, CustomerTier.KeyAccount, LifecycleStage.Renewal, CustomerHistory.AsOf);
        var actual = HealthEvaluation.Evaluate(restored, ScoringModel.Default, CustomerTier.KeyAccount, LifecycleStage.Renewal, CustomerHistory.AsOf);
        Assert.Equal(expected.Contributions, actual.Contributions);

        var more = new CustomerHistory("more").Use("zed", UserRole.Executive, "dashboard.viewed", 1).Use("aaron", UserRole.Executive, "dashboard.viewed", 1);
        CustomerHistory.Roll(more.Events, restored);
        CustomerHistory.Roll(more.Events, original);
        Assert.Equal(Json(original), Json(restored));
    }
}
