using CustomerSuccess.Client;

namespace CustomerSuccess.Demo;

/// <summary>
/// Demo customers, one per quadrant plus a key account and a customer whose usage stopped, and lifecycle stories (each
/// stage, a churn, a win-back, an overdue delivery, a high-potential newcomer), with events relative to <c>now</c> so the
/// demo always looks current and Lifecycle, on the real clock, puts each customer where its story says.
/// </summary>
public sealed class DemoCustomers(DateTimeOffset now)
{
    private readonly DateOnly _today = DateOnly.FromDateTime(now.UtcDateTime);
    private int _sequence;

    public static readonly (string Id, string Story)[] Stories =
    [
        ("northwind", "Q1 loyal: 30 of 40 seats active daily, fast support, promoters; renewed last year (mature)"),
        ("initech", "Q2 satisfied but unsuccessful: happy surveys, almost no usage; renewal window open"),
        ("umbrella", "Q3 grudging: heavy use, slow incident response, detractors"),
        ("hooli", "Q4 failing: little use, bad service; renewal window open"),
        ("acme", "Key account (70/30): heavy use across roles, renewal in 60 days"),
        ("globex", "Drifting: heavy use that stopped six weeks ago"),
        ("wayne", "Onboarding: contract started 20 days ago, account opened and configured"),
        ("stark", "Delivery overdue: first value reached, not delivered 120 days after the start"),
        ("tyrell", "High potential: 80 seats and first value 12 days after the start"),
        ("cyberdyne", "Churned: cancelled 20 days ago (budget cuts), went to Initrode"),
        ("soylent", "Won back: churned to a competitor last year, signed again 15 days ago"),
    ];

    public IEnumerable<EventEnvelope> All() =>
        Northwind().Concat(Initech()).Concat(Umbrella()).Concat(Hooli()).Concat(Acme()).Concat(Globex())
            .Concat(Wayne()).Concat(Stark()).Concat(Tyrell()).Concat(Cyberdyne()).Concat(Soylent());

    private IEnumerable<EventEnvelope> Northwind() => Customer("northwind", "Northwind Traders", keyAccount: false, seats: 40, arr: 48_000, contractDaysLeft: 200, renewedOnce: true)
        .Concat(Usage("northwind", users: 30, fromDaysAgo: 90, toDaysAgo: 1, features: Features(6)))
        .Concat(GoodService("northwind"))
        .Concat(Surveys("northwind", nps: [10, 9, 9, 10], csat: [5, 5]))
        .Concat(Stakeholders("northwind"));

    private IEnumerable<EventEnvelope> Initech() => Customer("initech", "Initech", keyAccount: false, seats: 40, arr: 36_000, contractDaysLeft: 45)
        .Concat(Usage("initech", users: 2, fromDaysAgo: 60, toDaysAgo: 2, features: Features(1), everyNthDay: 9))
        .Concat(GoodService("initech"))
        .Concat(Surveys("initech", nps: [9, 10, 9], csat: [5, 5]))
        .Concat(Stakeholders("initech"));

    private IEnumerable<EventEnvelope> Umbrella() => Customer("umbrella", "Umbrella Corp", keyAccount: false, seats: 40, arr: 60_000, contractDaysLeft: 150)
        .Concat(Usage("umbrella", users: 30, fromDaysAgo: 90, toDaysAgo: 1, features: Features(6)))
        .Concat(BadService("umbrella"))
        .Concat(Surveys("umbrella", nps: [1, 0, 3, 2], csat: [1, 2]));

    private IEnumerable<EventEnvelope> Hooli() => Customer("hooli", "Hooli", keyAccount: false, seats: 25, arr: 20_000, contractDaysLeft: 80)
        .Concat(Usage("hooli", users: 2, fromDaysAgo: 80, toDaysAgo: 10, features: Features(1), everyNthDay: 12))
        .Concat(BadService("hooli"))
        .Concat(Surveys("hooli", nps: [2, 4], csat: [2]));

    private IEnumerable<EventEnvelope> Acme() => Customer("acme", "ACME Corporation", keyAccount: true, seats: 120, arr: 250_000, contractDaysLeft: 60)
        .Concat(Usage("acme", users: 80, fromDaysAgo: 90, toDaysAgo: 1, features: Features(7)))
        .Concat(GoodService("acme"))
        .Concat(Surveys("acme", nps: [8, 9, 7, 9], csat: [4, 5]))
        .Concat(Stakeholders("acme"));

    private IEnumerable<EventEnvelope> Globex() => Customer("globex", "Globex", keyAccount: false, seats: 40, arr: 42_000, contractDaysLeft: 120)
        .Concat(Usage("globex", users: 30, fromDaysAgo: 120, toDaysAgo: 42, features: Features(6)))
        .Concat(GoodService("globex"))
        .Concat(Surveys("globex", nps: [9, 8], csat: [4]));

    private IEnumerable<EventEnvelope> Wayne() => Customer("wayne", "Wayne Enterprises", keyAccount: false, seats: 30, arr: 30_000, contractDaysLeft: 345, firstValueAfter: null, deliveredAfter: null)
        .Concat(Usage("wayne", users: 6, fromDaysAgo: 12, toDaysAgo: 1, features: Features(2)));

    private IEnumerable<EventEnvelope> Stark() => Customer("stark", "Stark Industries", keyAccount: false, seats: 35, arr: 40_000, contractDaysLeft: 245, firstValueAfter: 40, deliveredAfter: null)
        .Concat(Usage("stark", users: 10, fromDaysAgo: 60, toDaysAgo: 1, features: Features(3)))
        .Concat(GoodService("stark"));

    private IEnumerable<EventEnvelope> Tyrell() => Customer("tyrell", "Tyrell Corporation", keyAccount: false, seats: 80, arr: 64_000, contractDaysLeft: 305, firstValueAfter: 12, deliveredAfter: 50)
        .Concat(Usage("tyrell", users: 40, fromDaysAgo: 45, toDaysAgo: 1, features: Features(5)))
        .Concat(GoodService("tyrell"))
        .Concat(Surveys("tyrell", nps: [9, 10], csat: [5]));

    private IEnumerable<EventEnvelope> Cyberdyne()
    {
        foreach (var envelope in Customer("cyberdyne", "Cyberdyne Systems", keyAccount: false, seats: 20, arr: 18_000, contractDaysLeft: 150)
                     .Concat(Usage("cyberdyne", users: 3, fromDaysAgo: 120, toDaysAgo: 25, features: Features(2), everyNthDay: 4)))
        {
            yield return envelope;
        }

        yield return Envelope("cyberdyne", "contract.cancelled", now.AddDays(-50), new
        {
            contractId = "cyberdyne-2026", effectiveOn = _today.AddDays(-20).ToString("yyyy-MM-dd"), reason = "budget cuts", competitor = "Initrode",
        });
    }

    private IEnumerable<EventEnvelope> Soylent()
    {
        // The first life: a year's contract cancelled for a competitor; the second: a new contract 15 days ago.
        var firstStart = _today.AddDays(-420);
        yield return Envelope("soylent", "customer.profiled", now.AddDays(-425), new { name = "Soylent", industry = "food", region = "EMEA", owner = "csm@example.com", handoverComplete = true });
        yield return Envelope("soylent", "contract.signed", now.AddDays(-425), new
        {
            contractId = "soylent-1", arr = 24_000m, currency = "EUR", seats = 20, startsOn = firstStart.ToString("yyyy-MM-dd"), endsOn = firstStart.AddDays(365).ToString("yyyy-MM-dd"),
        });
        yield return Envelope("soylent", "milestone.reached", now.AddDays(-380), new { milestone = "first_value" });
        yield return Envelope("soylent", "milestone.reached", now.AddDays(-340), new { milestone = "delivered" });
        yield return Envelope("soylent", "contract.cancelled", now.AddDays(-230), new
        {
            contractId = "soylent-1", effectiveOn = _today.AddDays(-200).ToString("yyyy-MM-dd"), reason = "cheaper offer", competitor = "Initrode",
        });
        var secondStart = _today.AddDays(-15);
        yield return Envelope("soylent", "contract.signed", now.AddDays(-16), new
        {
            contractId = "soylent-2", arr = 30_000m, currency = "EUR", seats = 25, startsOn = secondStart.ToString("yyyy-MM-dd"), endsOn = secondStart.AddDays(365).ToString("yyyy-MM-dd"),
        });
        yield return Envelope("soylent", "milestone.reached", now.AddDays(-14), new { milestone = "handover_completed" });
        yield return Envelope("soylent", "seats.reported", now.AddDays(-10), new { paid = 25, free = 0, assigned = 20 });
        foreach (var envelope in Usage("soylent", users: 8, fromDaysAgo: 10, toDaysAgo: 1, features: Features(3)))
        {
            yield return envelope;
        }
    }

    private static string[] Features(int count) =>
        new[] { "message.sent", "channel.created", "file.shared", "search.run", "report.viewed", "integration.synced", "call.started" }[..count];

    /// <summary>
    /// A customer's profile, contract (ending in <paramref name="contractDaysLeft"/> days; with <paramref name="renewedOnce"/>,
    /// a contract a year earlier renewed to that end), seats, invoices and onboarding milestones: first value and delivery
    /// this many days after the start (null: not yet).
    /// </summary>
    private IEnumerable<EventEnvelope> Customer(
        string id, string name, bool keyAccount, int seats, decimal arr, int contractDaysLeft, int? firstValueAfter = 45, int? deliveredAfter = 80, bool renewedOnce = false)
    {
        var endsOn = _today.AddDays(contractDaysLeft);
        var startsOn = endsOn.AddDays(renewedOnce ? -730 : -365);
        var started = new DateTimeOffset(startsOn.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        yield return Envelope(id, "customer.profiled", Past(started.AddDays(-5)), new { name, keyAccount, industry = "software", region = "EMEA", owner = "csm@example.com", handoverComplete = true });
        yield return Envelope(id, "contract.signed", Past(started.AddDays(-5)), new { contractId = $"{id}-2026", arr, currency = "EUR", seats, startsOn = startsOn.ToString("yyyy-MM-dd"), endsOn = startsOn.AddDays(365).ToString("yyyy-MM-dd") });
        if (renewedOnce)
        {
            yield return Envelope(id, "contract.renewed", Past(started.AddDays(365 - 40)), new { contractId = $"{id}-2026", arr, endsOn = endsOn.ToString("yyyy-MM-dd"), seats });
        }

        yield return Envelope(id, "seats.reported", now.AddDays(-Math.Min(30, (now - started).TotalDays / 2)), new { paid = seats, free = 2, assigned = seats - 2 });
        foreach (var (milestone, after) in new (string, int?)[] { ("account_opened", 3), ("configured", 10), ("trained", 15), ("first_value", firstValueAfter), ("delivered", deliveredAfter) })
        {
            if (after is { } days && started.AddDays(days) < now)
            {
                yield return Envelope(id, "milestone.reached", started.AddDays(days), new { milestone });
            }
        }

        yield return Envelope(id, "invoice.issued", Past(started), new { invoiceId = $"{id}-inv-1", amount = arr, dueOn = startsOn.AddDays(30).ToString("yyyy-MM-dd") });
        yield return Envelope(id, "invoice.paid", Past(started.AddDays(25)), new { invoiceId = $"{id}-inv-1", paidOn = startsOn.AddDays(25).ToString("yyyy-MM-dd") });
    }

    /// <summary>An instant no later than an hour ago (Ingestion refuses events from the future).</summary>
    private DateTimeOffset Past(DateTimeOffset at) => at < now.AddHours(-1) ? at : now.AddHours(-1);

    private IEnumerable<EventEnvelope> Usage(string id, int users, int fromDaysAgo, int toDaysAgo, string[] features, int everyNthDay = 1)
    {
        string[] roles = ["operator", "operator", "operator", "executive", "finance"];
        for (var daysAgo = fromDaysAgo; daysAgo >= toDaysAgo; daysAgo -= everyNthDay)
        {
            var day = now.AddDays(-daysAgo);
            if (everyNthDay == 1 && day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            for (var user = 0; user < users; user++)
            {
                var feature = features[(user + daysAgo) % features.Length];
                yield return Envelope(id, "usage.recorded", day.AddMinutes(user), new { feature = features[0], userId = $"{id}-u{user}", role = roles[user % roles.Length], quantity = 5 });
                if (feature != features[0])
                {
                    yield return Envelope(id, "usage.recorded", day.AddMinutes(user + 1), new { feature, userId = $"{id}-u{user}", role = roles[user % roles.Length], quantity = 2 });
                }
            }
        }
    }

    private IEnumerable<EventEnvelope> GoodService(string id)
    {
        for (var i = 0; i < 3; i++)
        {
            var opened = now.AddDays(-10 * (i + 1));
            var ticket = $"{id}-t{i}";
            yield return Envelope(id, "ticket.opened", opened, new { ticketId = ticket, category = "operational", priority = "normal" });
            yield return Envelope(id, "ticket.responded", opened.AddMinutes(35), new { ticketId = ticket });
            yield return Envelope(id, "ticket.resolved", opened.AddHours(5), new { ticketId = ticket });
        }
    }

    private IEnumerable<EventEnvelope> BadService(string id)
    {
        for (var i = 0; i < 4; i++)
        {
            var opened = now.AddDays(-7 * (i + 1));
            var ticket = $"{id}-incident{i}";
            yield return Envelope(id, "ticket.opened", opened, new { ticketId = ticket, category = "incident", priority = "urgent" });
            yield return Envelope(id, "ticket.responded", opened.AddHours(30), new { ticketId = ticket });
            yield return Envelope(id, "ticket.resolved", opened.AddDays(4), new { ticketId = ticket });
            if (i % 2 == 0)
            {
                yield return Envelope(id, "ticket.reopened", opened.AddDays(5), new { ticketId = ticket });
            }
        }
    }

    private IEnumerable<EventEnvelope> Surveys(string id, int[] nps, int[] csat)
    {
        for (var i = 0; i < nps.Length; i++)
        {
            yield return Envelope(id, "survey.answered", now.AddDays(-5 - (i * 7)), new { survey = "nps", score = nps[i], userId = $"{id}-u{i}" });
        }

        for (var i = 0; i < csat.Length; i++)
        {
            yield return Envelope(id, "survey.answered", now.AddDays(-3 - (i * 9)), new { survey = "csat", score = csat[i], userId = $"{id}-u{i}" });
        }
    }

    private IEnumerable<EventEnvelope> Stakeholders(string id)
    {
        yield return Envelope(id, "stakeholder.changed", now.AddDays(-190), new { role = "champion", change = "joined", personId = $"{id}-p1" });
        yield return Envelope(id, "stakeholder.changed", now.AddDays(-190), new { role = "decision_maker", change = "joined", personId = $"{id}-p2" });
        yield return Envelope(id, "stakeholder.changed", now.AddDays(-190), new { role = "executive_sponsor", change = "joined", personId = $"{id}-p3" });
    }

    // Ids are stable for a given day, so re-running the demo the same day sends duplicates, not new events.
    private EventEnvelope Envelope(string customerId, string type, DateTimeOffset occurredAt, object data) =>
        new($"demo-{_today:yyyyMMdd}-{customerId}-{++_sequence}", type, customerId, occurredAt, data);
}
