using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>The customers of DOMAIN.md's calibration, as building blocks.</summary>
internal static class Scenarios
{
    public const int PaidSeats = 40;

    private static readonly string[] s_operatorFeatures = ["message.sent", "contact.updated", "search.used"];
    private static readonly string[] s_managerFeatures = ["message.sent", "dashboard.viewed"];
    private static readonly string[] s_financeFeatures = ["message.sent", "invoice.exported", "report.exported"];

    public static bool IsWeekend(double daysAgo) =>
        CustomerHistory.DaysAgo(daysAgo).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>
    /// Heavy daily use between <paramref name="fromDaysAgo"/> and <paramref name="toDaysAgo"/>: <paramref name="users"/>
    /// users (two thirds operators, the rest managers and finance) active on most working days, six features.
    /// </summary>
    public static CustomerHistory HeavyUse(this CustomerHistory history, int fromDaysAgo = 30, int toDaysAgo = 1, int users = 30)
    {
        for (var daysAgo = fromDaysAgo; daysAgo >= toDaysAgo; daysAgo--)
        {
            if (IsWeekend(daysAgo))
            {
                continue;
            }

            for (var u = 0; u < users; u++)
            {
                if ((u + daysAgo) % 6 == 0)
                {
                    continue; // each user misses about one working day in six
                }

                var (role, features) = (u * 3) < (users * 2) ? (UserRole.Operator, s_operatorFeatures)
                    : u % 2 == 0 ? (UserRole.Executive, s_managerFeatures)
                    : (UserRole.Finance, s_financeFeatures);
                foreach (var feature in features)
                {
                    history.Use($"user-{u:D2}", role, feature, daysAgo, quantity: feature == "message.sent" ? 3 : 1, hour: 8 + (u % 9));
                }
            }
        }

        return history;
    }

    /// <summary>One or two users logging in a few times in the last two months.</summary>
    public static CustomerHistory LittleUse(this CustomerHistory history) =>
        history
            .Use("user-00", UserRole.Operator, "session.started", 55)
            .Use("user-00", UserRole.Operator, "session.started", 38)
            .Use("user-00", UserRole.Operator, "session.started", 17)
            .Use("user-01", UserRole.Operator, "session.started", 44)
            .Use("user-01", UserRole.Operator, "session.started", 9);

    /// <summary>A few operational tickets answered within an hour and resolved the same day; NPS 9–10; CSAT 5.</summary>
    public static CustomerHistory GoodService(this CustomerHistory history)
    {
        history
            .Ticket("T-1", TicketCategory.Operational, TicketPriority.Normal, 40, TimeSpan.FromMinutes(40), TimeSpan.FromHours(5))
            .Ticket("T-2", TicketCategory.Operational, TicketPriority.High, 12, TimeSpan.FromMinutes(30), TimeSpan.FromHours(3))
            .Ticket("T-3", TicketCategory.Operational, TicketPriority.Normal, 4, TimeSpan.FromMinutes(50), TimeSpan.FromHours(6));
        int[] nps = [9, 10, 10, 9, 10, 10];
        for (var i = 0; i < nps.Length; i++)
        {
            history.Survey(SurveyKind.Nps, nps[i], 20 + i, $"user-{i:D2}");
        }

        for (var i = 0; i < 4; i++)
        {
            history.Survey(SurveyKind.Csat, 5, 3 + (i * 7), $"user-{i:D2}");
        }

        return history;
    }

    /// <summary>Repeated urgent incidents waiting a day or more for a first response, reopened tickets, NPS 0–3, CSAT 1–2.</summary>
    public static CustomerHistory BadService(this CustomerHistory history)
    {
        double[] opened = [50, 35, 20, 8];
        for (var i = 0; i < opened.Length; i++)
        {
            history.Ticket($"INC-{i}", TicketCategory.Incident, TicketPriority.Urgent, opened[i],
                respondAfter: TimeSpan.FromHours(26), resolveAfter: TimeSpan.FromHours(60),
                reopenAfter: i % 2 == 0 ? TimeSpan.FromHours(72) : null);
        }

        int[] nps = [0, 3, 1, 2, 0];
        for (var i = 0; i < nps.Length; i++)
        {
            history.Survey(SurveyKind.Nps, nps[i], 15 + i, $"user-{i:D2}");
        }

        int[] csat = [1, 2, 1, 2];
        for (var i = 0; i < csat.Length; i++)
        {
            history.Survey(SurveyKind.Csat, csat[i], 2 + (i * 9), $"user-{i:D2}");
        }

        return history;
    }

    public static CustomerHistory WithSeats(this CustomerHistory history, int paid = PaidSeats, int? assigned = null) =>
        history.Seats(paid, assigned);

    public static MeasureContribution Contribution(this HealthResult result, string measure) =>
        result.Contributions.Single(c => c.Measure == measure);

    public static double GroupWeight(this HealthResult result, string group) =>
        result.Contributions.Where(c => c.Group == group).Sum(c => c.Weight);
}
