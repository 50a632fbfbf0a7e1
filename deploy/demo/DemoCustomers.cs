using CustomerSuccess.Client;

namespace CustomerSuccess.Demo;

/// <summary>
/// Demo customers, one per quadrant plus a key account and a customer whose usage stopped,
/// with events relative to <c>now</c> so the demo always looks current.
/// </summary>
public sealed class DemoCustomers(DateTimeOffset now)
{
    private readonly DateOnly _today = DateOnly.FromDateTime(now.UtcDateTime);
    private int _sequence;

    public static readonly (string Id, string Story)[] Stories =
    [
        ("northwind", "Q1 loyal: 30 of 40 seats active daily, fast support, promoters"),
        ("initech", "Q2 satisfied but unsuccessful: happy surveys, almost no usage"),
        ("umbrella", "Q3 grudging: heavy use, slow incident response, detractors"),
        ("hooli", "Q4 failing: little use, bad service"),
        ("acme", "Key account (70/30): heavy use across roles, renewal in 60 days"),
        ("globex", "Drifting: heavy use that stopped six weeks ago"),
    ];

    public IEnumerable<EventEnvelope> All() =>
        Northwind().Concat(Initech()).Concat(Umbrella()).Concat(Hooli()).Concat(Acme()).Concat(Globex());

    private IEnumerable<EventEnvelope> Northwind() => Customer("northwind", "Northwind Traders", keyAccount: false, seats: 40, arr: 48_000, contractDaysLeft: 200)
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

    private static string[] Features(int count) =>
        new[] { "message.sent", "channel.created", "file.shared", "search.run", "report.viewed", "integration.synced", "call.started" }[..count];

    private IEnumerable<EventEnvelope> Customer(string id, string name, bool keyAccount, int seats, decimal arr, int contractDaysLeft)
    {
        var startsOn = _today.AddDays(contractDaysLeft - 365);
        yield return Envelope(id, "customer.profiled", now.AddDays(-200), new { name, keyAccount, industry = "software", region = "EMEA", owner = "csm@example.com", handoverComplete = true });
        yield return Envelope(id, "contract.signed", now.AddDays(-200), new { contractId = $"{id}-2026", arr, currency = "EUR", seats, startsOn = startsOn.ToString("yyyy-MM-dd"), endsOn = startsOn.AddDays(365).ToString("yyyy-MM-dd") });
        yield return Envelope(id, "seats.reported", now.AddDays(-30), new { paid = seats, free = 2, assigned = seats - 2 });
        yield return Envelope(id, "milestone.reached", now.AddDays(-170), new { milestone = "first_value" });
        yield return Envelope(id, "invoice.issued", now.AddDays(-200), new { invoiceId = $"{id}-inv-1", amount = arr, dueOn = startsOn.AddDays(30).ToString("yyyy-MM-dd") });
        yield return Envelope(id, "invoice.paid", now.AddDays(-180), new { invoiceId = $"{id}-inv-1", paidOn = startsOn.AddDays(25).ToString("yyyy-MM-dd") });
    }

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
