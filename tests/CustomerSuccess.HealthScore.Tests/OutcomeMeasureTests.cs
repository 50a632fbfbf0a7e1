using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>Customer outcome: each measure, its raw value and its normalisation under the default model.</summary>
public class OutcomeMeasureTests
{
    [Theory]
    [InlineData(5, 50)]
    [InlineData(-1, 0)]
    [InlineData(20, 100)]
    [InlineData(0, 0)]
    [InlineData(10, 100)]
    public void Normalisation_is_linear_between_floor_and_target_and_clamped(double raw, double expected)
    {
        var measure = new MeasureDefinition { Name = MeasureNames.FeatureBreadth, Group = MeasureGroup.Outcome, WindowDays = 30, Floor = 0, Target = 10 };

        Assert.Equal(expected, measure.Normalize(raw), 6);
    }

    [Fact]
    public void Normalisation_runs_downhill_when_lower_is_better()
    {
        var measure = new MeasureDefinition { Name = MeasureNames.ReopenRate, Group = MeasureGroup.Experience, WindowDays = 90, Floor = 25, Target = 0 };

        Assert.Equal(80, measure.Normalize(5), 6);
        Assert.Equal(100, measure.Normalize(0), 6);
        Assert.Equal(0, measure.Normalize(40), 6);
    }

    [Fact]
    public void Core_feature_usage_counts_distinct_core_users_against_paid_seats()
    {
        var history = new CustomerHistory().WithSeats();
        for (var u = 0; u < 12; u++)
        {
            history.Use($"user-{u}", UserRole.Operator, "message.sent", daysAgo: 3 + u).Use($"user-{u}", UserRole.Operator, "message.sent", daysAgo: 4 + u);
        }

        history.Use("user-99", UserRole.Operator, "search.used", daysAgo: 2);

        var core = history.Health().Contribution(MeasureNames.CoreFeatureUsage);

        Assert.Equal(0.3, core.Raw);
        Assert.Equal(50, core.Normalized);
        Assert.Contains("12 of 40 paid seats", core.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Which_features_are_core_is_configuration()
    {
        var history = new CustomerHistory().WithSeats().Use("u1", UserRole.Operator, "message.sent", 2).Use("u2", UserRole.Operator, "followup.logged", 2);
        var crm = ScoringModel.Default with { CoreFeatures = ["followup.logged"] };

        var core = history.Health(model: crm).Contribution(MeasureNames.CoreFeatureUsage);

        Assert.Equal(1.0 / 40, core.Raw);
        Assert.Contains("followup.logged", core.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Breadth_counts_distinct_features_in_the_last_30_days()
    {
        var history = new CustomerHistory().WithSeats()
            .Use("u1", UserRole.Operator, "message.sent", 2)
            .Use("u1", UserRole.Operator, "search.used", 5)
            .Use("u2", UserRole.Operator, "report.exported", 29)
            .Use("u2", UserRole.Operator, "contact.updated", 31);

        var breadth = history.Health().Contribution(MeasureNames.FeatureBreadth);

        Assert.Equal(3, breadth.Raw);
        Assert.Equal(60, breadth.Normalized);
    }

    [Fact]
    public void Daily_active_users_average_over_working_days_only()
    {
        var history = new CustomerHistory().WithSeats();
        for (var daysAgo = 1; daysAgo <= 30; daysAgo++)
        {
            var weekend = Scenarios.IsWeekend(daysAgo);
            for (var u = 0; u < 20; u++)
            {
                history.Use(weekend ? $"weekend-{u}" : $"user-{u}", UserRole.Operator, "message.sent", daysAgo);
            }
        }

        var dau = history.Health().Contribution(MeasureNames.DailyActiveUsers);

        Assert.Equal(0.5, dau.Raw);
        Assert.Equal(100, dau.Normalized);
        Assert.Contains("20 of 40 paid seats active per working day", dau.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Weekly_and_monthly_active_users_count_distinct_users_against_paid_seats()
    {
        var history = new CustomerHistory().WithSeats();
        for (var u = 0; u < 14; u++)
        {
            history.Use($"user-{u}", UserRole.Operator, "message.sent", daysAgo: 2);
            history.Use($"user-{u}", UserRole.Operator, "message.sent", daysAgo: 3);
        }

        for (var u = 14; u < 28; u++)
        {
            history.Use($"user-{u}", UserRole.Operator, "message.sent", daysAgo: 20);
        }

        var health = history.Health();

        Assert.Equal(14.0 / 40, health.Contribution(MeasureNames.WeeklyActiveUsers).Raw);
        Assert.Equal(50, health.Contribution(MeasureNames.WeeklyActiveUsers).Normalized);
        Assert.Equal(28.0 / 40, health.Contribution(MeasureNames.MonthlyActiveUsers).Raw);
        Assert.Equal(87.5, health.Contribution(MeasureNames.MonthlyActiveUsers).Normalized);
    }

    [Fact]
    public void Seat_activation_compares_active_users_with_assigned_seats()
    {
        var history = new CustomerHistory().WithSeats(paid: 40, assigned: 20);
        for (var u = 0; u < 18; u++)
        {
            history.Use($"user-{u}", UserRole.Operator, "message.sent", daysAgo: 10 + (u * 4));
        }

        var activation = history.Health().Contribution(MeasureNames.SeatActivation);

        Assert.Equal(0.9, activation.Raw);
        Assert.Equal(100, activation.Normalized);
        Assert.Contains("18 of 20 assigned seats", activation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_customer_whose_only_active_role_is_operator_has_fragile_role_coverage()
    {
        var history = new CustomerHistory().WithSeats().Use("u1", UserRole.Operator, "message.sent", 2).Use("u2", UserRole.Admin, "settings.changed", 2);

        var coverage = history.Health().Contribution(MeasureNames.RoleCoverage);

        Assert.Equal(0.333, coverage.Raw);
        Assert.Equal(33.3, coverage.Normalized);
        Assert.Contains("missing executive, finance", coverage.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_index_is_total_quantity_per_paid_seat()
    {
        var history = new CustomerHistory().WithSeats()
            .Use("u1", UserRole.Operator, "api.call", 3, quantity: 500)
            .Add(new UsageRecorded { Feature = "api.call", Quantity = 300, EventId = "anon-1", CustomerId = "acme", OccurredAt = CustomerHistory.DaysAgo(4), ReceivedAt = CustomerHistory.AsOf });

        var output = history.Health().Contribution(MeasureNames.OutputIndex);

        Assert.Equal(20, output.Raw);
        Assert.Equal(50, output.Normalized);
    }

    [Fact]
    public void Seats_come_from_the_contract_when_no_seat_count_was_reported()
    {
        var history = new CustomerHistory().ContractSigned("C-1", 12_000m, seats: 10, daysAgo: 100);
        for (var u = 0; u < 5; u++)
        {
            history.Use($"user-{u}", UserRole.Operator, "message.sent", daysAgo: 3);
        }

        Assert.Equal(0.5, history.Health().Contribution(MeasureNames.MonthlyActiveUsers).Raw);
    }

    [Fact]
    public void Usage_measures_without_known_seats_have_no_data()
    {
        var health = new CustomerHistory().Use("u1", UserRole.Operator, "message.sent", 2).Health();

        var dau = health.Contribution(MeasureNames.DailyActiveUsers);
        Assert.Null(dau.Raw);
        Assert.Equal(0, dau.Weight);
        Assert.Equal("paid seats unknown; weight redistributed", dau.Reason);
        Assert.NotNull(health.Contribution(MeasureNames.FeatureBreadth).Raw);
    }

    [Fact]
    public void Usage_earlier_today_counts_only_from_tomorrow_so_windows_cover_whole_days()
    {
        var history = new CustomerHistory().WithSeats().Use("u1", UserRole.Operator, "message.sent", daysAgo: 0, hour: 8);

        Assert.Equal(0, history.Health().Contribution(MeasureNames.WeeklyActiveUsers).Raw);
        Assert.Equal(1.0 / 40, history.Health(asOf: CustomerHistory.AsOf.AddDays(1)).Contribution(MeasureNames.WeeklyActiveUsers).Raw);
    }
}
