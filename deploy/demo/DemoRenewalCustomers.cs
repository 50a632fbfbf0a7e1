using System.Globalization;
using CustomerSuccess.Client;
using CustomerSuccess.Contracts.Http;
using Refit;

namespace CustomerSuccess.Demo;

/// <summary>
/// Renewal stories: every difficulty tag (smooth, difficult, very difficult, finance-cycle mismatch), every risk level,
/// a won-back customer, add-ons beside a main contract, two currencies, and a portfolio whose metrics over the last
/// twelve months the demo prints. Events are relative to <c>now</c> so the demo always looks current.
/// </summary>
public sealed class DemoRenewalCustomers(DateTimeOffset now)
{
    private readonly DateOnly _today = DateOnly.FromDateTime(now.UtcDateTime);
    private int _sequence;

    public static readonly (string Id, string Story)[] Stories =
    [
        ("contoso", "smooth, healthy, renewed last spring 10 % up, next renewal in 200 days: low risk"),
        ("fabrikam", "difficult: pays only at the last moment; window opens 120 days out: medium risk"),
        ("starkind", "finance-cycle mismatch (USD): invoices due on the 25th paid early next month; window 30 days earlier"),
        ("gekko", "very difficult: renewed last year after the contract had ended, paid late twice: high risk"),
        ("dunder", "champion left three weeks ago, renewal in 50 days: high risk"),
        ("vandelay", "cancelled: moving to a competitor at the end of the month: critical"),
        ("piedpiper", "won back: churned to a competitor last year, signed again two months ago with an add-on"),
        ("oscorp", "two-year contract cut from 40k to 32k two months ago (contraction)"),
        ("initrode", "churned: the contract ended 135 days ago without a renewal: critical"),
    ];

    public IEnumerable<EventEnvelope> All() =>
        Contoso().Concat(Fabrikam()).Concat(Starkind()).Concat(Gekko()).Concat(Dunder()).Concat(Vandelay()).Concat(PiedPiper())
            .Concat(Oscorp()).Concat(Initrode());

    /// <summary>Posts the stories, prints each customer's renewal outlook, then the portfolio metrics per currency.</summary>
    public async Task RunAsync(IIngestionApi ingestion, IRenewalApi renewal, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(ingestion);
        ArgumentNullException.ThrowIfNull(renewal);
        ArgumentNullException.ThrowIfNull(output);
        var envelopes = All().ToList();
        foreach (var batch in envelopes.Chunk(1000))
        {
            await ingestion.PostEventsAsync(batch);
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Renewal stories: {envelopes.Count} events posted");
        await output.WriteLineAsync($"{"customer",-10} {"contract",-16} {"ends on",-10} {"days",5} {"ARR",10} {"cur",-3} {"window",-10} {"difficulty",-14} {"risk",-8} story");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        foreach (var (id, story) in Stories)
        {
            // Settled once HealthScore's evaluation has reached Renewal: the risk then has a health reason or none.
            var r = await SettledAsync(() => renewal.GetRenewalAsync(id, healthDetail: false), deadline);
            if (r is null)
            {
                await output.WriteLineAsync($"{id,-10} (not known to Renewal yet)");
                continue;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{id,-10} {r.ContractId,-16} {r.EndsOn,-10:yyyy-MM-dd} {r.DaysToRenewal,5} {r.Arr,10:0} {r.Currency,-3} {(r.WindowOpen ? "open" : r.WindowOpensOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),-10} {r.Difficulty,-14} {Wire(r.Risk.Level),-8} {story}"));
            foreach (var reason in r.Risk.Reasons)
            {
                await output.WriteLineAsync($"{"",12}{reason.Code}: {reason.Text}");
            }
        }

        var from = _today.AddYears(-1);
        var metrics = await renewal.GetPortfolioMetricsAsync(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), _today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Portfolio metrics {metrics.From:yyyy-MM-dd} .. {metrics.To:yyyy-MM-dd} (every customer Renewal knows; never summed across currencies)");
        foreach (var m in metrics.Currencies)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {m.Currency}: starting ARR {m.StartingArr:0}, ending {m.EndingArr:0}; churned {m.ChurnedArr:0}, contraction {m.ContractionArr:0}, expansion {m.ExpansionArr:0}, new {m.NewArr:0}"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"       GRR {Percent(m.Grr)}, NRR {Percent(m.Nrr)}, logo churn {Percent(m.LogoChurnRate)} ({m.ChurnedCustomers} of {m.CohortCustomers}), renewal rate {Percent(m.RenewalRate)} ({m.Renewed} of {m.RenewalsDue}), by ARR {Percent(m.RenewalRateArr)}, ARR at risk {m.ArrAtRisk:0}"));
            foreach (var cell in m.Distribution)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"       {Wire(cell.Tier),-15} {(cell.Band is { } band ? Wire(band) : "unscored"),-8} {cell.Customers,3} customers {cell.Arr,10:0} ARR"));
            }
        }
    }

    private IEnumerable<EventEnvelope> Contoso() =>
        Contract("contoso", "contoso-main", 60_000, "EUR", seats: 20, startsDaysAgo: 530, endsInDays: -1)
            .Append(Envelope("contoso", "contract.renewed", now.AddDays(-190), new { contractId = "contoso-main", arr = 66_000, endsOn = Day(_today.AddDays(200)), seats = 22 }))
            .Concat(Invoices("contoso", 60_000, (-150, -160), (-60, -70)))
            .Concat(Healthy("contoso", seats: 20));

    private IEnumerable<EventEnvelope> Fabrikam() =>
        Contract("fabrikam", "fabrikam-main", 30_000, "EUR", seats: 15, startsDaysAgo: 215, endsInDays: 150)
            .Concat(Invoices("fabrikam", 7_500, (-190, -190), (-100, -101), (-10, -10)))
            .Concat(Healthy("fabrikam", seats: 15));

    private IEnumerable<EventEnvelope> Starkind()
    {
        var events = Contract("starkind", "starkind-main", 45_000, "USD", seats: 20, startsDaysAgo: 265, endsInDays: 100).ToList();
        // Due on the 25th of three past months, paid on the 3rd of the next (always before today): the finance run
        // closes on the 20th.
        for (var monthsAgo = 4; monthsAgo >= 2; monthsAgo--)
        {
            var month = _today.AddMonths(-monthsAgo);
            var due = new DateOnly(month.Year, month.Month, 25);
            var paid = new DateOnly(month.Year, month.Month, 1).AddMonths(1).AddDays(2);
            events.Add(Envelope("starkind", "invoice.issued", At(due.AddDays(-30)), new { invoiceId = $"starkind-inv-{monthsAgo}", amount = 11_250, dueOn = Day(due) }));
            events.Add(Envelope("starkind", "invoice.paid", At(paid), new { invoiceId = $"starkind-inv-{monthsAgo}", paidOn = Day(paid) }));
        }

        return events.Concat(Healthy("starkind", seats: 20));
    }

    private IEnumerable<EventEnvelope> Gekko() =>
        Contract("gekko", "gekko-main", 80_000, "EUR", seats: 30, startsDaysAgo: 610, endsInDays: -245)
            // Last year's renewal came 12 days after the contract had ended.
            .Append(Envelope("gekko", "contract.renewed", now.AddDays(-233), new { contractId = "gekko-main", arr = 80_000, endsOn = Day(_today.AddDays(120)) }))
            .Concat(Invoices("gekko", 20_000, (-200, -170), (-110, -85), (-20, -25)))
            .Concat(Healthy("gekko", seats: 30));

    private IEnumerable<EventEnvelope> Dunder() =>
        Contract("dunder", "dunder-main", 40_000, "EUR", seats: 20, startsDaysAgo: 315, endsInDays: 50)
            .Concat(Invoices("dunder", 40_000, (-300, -305)))
            .Append(Envelope("dunder", "stakeholder.changed", now.AddDays(-300), new { role = "champion", change = "joined", personId = "sarah" }))
            .Append(Envelope("dunder", "stakeholder.changed", now.AddDays(-21), new { role = "champion", change = "left", personId = "sarah" }))
            .Concat(Healthy("dunder", seats: 20));

    private IEnumerable<EventEnvelope> Vandelay() =>
        Contract("vandelay", "vandelay-main", 55_000, "EUR", seats: 25, startsDaysAgo: 300, endsInDays: 65)
            .Append(Envelope("vandelay", "contract.cancelled", now.AddDays(-5), new { contractId = "vandelay-main", effectiveOn = Day(_today.AddDays(25)), reason = "consolidating vendors", competitor = "Replicant Systems" }))
            .Concat(Healthy("vandelay", seats: 25));

    private IEnumerable<EventEnvelope> PiedPiper() =>
        Contract("piedpiper", "piedpiper-2024", 25_000, "EUR", seats: 10, startsDaysAgo: 500, endsInDays: -135)
            .Append(Envelope("piedpiper", "contract.cancelled", now.AddDays(-320), new { contractId = "piedpiper-2024", effectiveOn = Day(_today.AddDays(-300)), reason = "tried a cheaper tool", competitor = "Green Foods CRM" }))
            .Concat(Contract("piedpiper", "piedpiper-2026", 28_000, "EUR", seats: 12, startsDaysAgo: 60, endsInDays: 305))
            .Concat(Contract("piedpiper", "piedpiper-addon-analytics", 6_000, "EUR", seats: 12, startsDaysAgo: 30, endsInDays: 305, products: ["analytics"]))
            .Concat(Healthy("piedpiper", seats: 12));

    private IEnumerable<EventEnvelope> Oscorp() =>
        Contract("oscorp", "oscorp-main", 40_000, "EUR", seats: 20, startsDaysAgo: 400, endsInDays: 330)
            .Append(Envelope("oscorp", "contract.amended", now.AddDays(-60), new { contractId = "oscorp-main", arr = 32_000, seats = 16, effectiveOn = Day(_today.AddDays(-60)) }))
            .Concat(Healthy("oscorp", seats: 16));

    private IEnumerable<EventEnvelope> Initrode() =>
        Contract("initrode", "initrode-main", 18_000, "EUR", seats: 10, startsDaysAgo: 500, endsInDays: -1);

    private IEnumerable<EventEnvelope> Contract(string id, string contractId, decimal arr, string currency, int seats, int startsDaysAgo, int endsInDays, string[]? products = null)
    {
        var startsOn = _today.AddDays(-startsDaysAgo);
        // A negative endsInDays: a one-year term from the start (already over).
        var endsOn = endsInDays < 0 ? startsOn.AddDays(365) : _today.AddDays(endsInDays);
        yield return Envelope(id, "customer.profiled", now.AddDays(-startsDaysAgo - 10), new { name = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(id), industry = "manufacturing", region = "EMEA", owner = "csm@example.com", handoverComplete = true });
        yield return Envelope(id, "contract.signed", now.AddDays(-startsDaysAgo - 5), new { contractId, arr, currency, seats, startsOn = Day(startsOn), endsOn = Day(endsOn), products = products ?? ["platform"] });
        // Delivered customers: first value and delivery reached on time, so Lifecycle raises no overdue flag for these
        // stories (the lifecycle stories show an overdue customer of their own).
        foreach (var (milestone, daysAfterStart) in new[] { ("first_value", 20), ("delivered", 45) })
        {
            if (daysAfterStart < startsDaysAgo)
            {
                yield return Envelope(id, "milestone.reached", now.AddDays(daysAfterStart - startsDaysAgo), new { milestone });
            }
        }
    }

    /// <summary>Invoices as (due, paid) days relative to today.</summary>
    private IEnumerable<EventEnvelope> Invoices(string id, decimal amount, params (int Due, int Paid)[] invoices)
    {
        foreach (var (due, paid) in invoices)
        {
            var invoiceId = $"{id}-inv{due}";
            yield return Envelope(id, "invoice.issued", now.AddDays(due - 30), new { invoiceId, amount, dueOn = Day(_today.AddDays(due)) });
            yield return Envelope(id, "invoice.paid", now.AddDays(paid), new { invoiceId, paidOn = Day(_today.AddDays(paid)) });
        }
    }

    /// <summary>Most seats active on working days of the last 30 days across roles, a few fast tickets, key stakeholders in place, promoters.</summary>
    private IEnumerable<EventEnvelope> Healthy(string id, int seats)
    {
        string[] roles = ["operator", "operator", "executive", "finance"];
        string[] features = ["message.sent", "report.viewed", "search.run", "file.shared", "integration.synced"];
        var users = seats * 3 / 4;
        yield return Envelope(id, "seats.reported", now.AddDays(-30), new { paid = seats, free = 0, assigned = seats });
        for (var daysAgo = 30; daysAgo >= 1; daysAgo--)
        {
            var day = now.AddDays(-daysAgo);
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            for (var user = 0; user < users; user++)
            {
                yield return Envelope(id, "usage.recorded", day.AddMinutes(user), new { feature = features[(user + daysAgo) % features.Length], userId = $"{id}-u{user}", role = roles[user % roles.Length], quantity = 4 });
            }
        }

        for (var i = 0; i < 2; i++)
        {
            var opened = now.AddDays(-12 * (i + 1));
            var ticket = $"{id}-t{i}";
            yield return Envelope(id, "ticket.opened", opened, new { ticketId = ticket, category = "operational", priority = "normal" });
            yield return Envelope(id, "ticket.responded", opened.AddMinutes(30), new { ticketId = ticket });
            yield return Envelope(id, "ticket.resolved", opened.AddHours(4), new { ticketId = ticket });
        }

        yield return Envelope(id, "stakeholder.changed", now.AddDays(-190), new { role = "champion", change = "joined", personId = $"{id}-p1" });
        yield return Envelope(id, "stakeholder.changed", now.AddDays(-190), new { role = "decision_maker", change = "joined", personId = $"{id}-p2" });
        yield return Envelope(id, "stakeholder.changed", now.AddDays(-190), new { role = "executive_sponsor", change = "joined", personId = $"{id}-p3" });
        yield return Envelope(id, "survey.answered", now.AddDays(-6), new { survey = "nps", score = 9, userId = $"{id}-u0" });
        yield return Envelope(id, "survey.answered", now.AddDays(-4), new { survey = "nps", score = 10, userId = $"{id}-u1" });
        yield return Envelope(id, "survey.answered", now.AddDays(-3), new { survey = "csat", score = 5, userId = $"{id}-u2" });
    }

    private static async Task<CustomerRenewalResponse?> SettledAsync(Func<Task<CustomerRenewalResponse>> read, DateTime deadline)
    {
        string? previous = null;
        var equalReads = 0;
        CustomerRenewalResponse? last = null;
        while (DateTime.UtcNow < deadline && equalReads < 2)
        {
            try
            {
                last = await read();
                var current = $"{last.Risk.Level}|{string.Join(",", last.Risk.Reasons.Select(x => x.Code))}|{last.Contracts.Count}";
                equalReads = current == previous ? equalReads + 1 : 0;
                previous = current;
            }
            catch (ApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Not relayed to Renewal yet.
            }

            if (equalReads < 2)
            {
                await Task.Delay(1000);
            }
        }

        return last;
    }

    private static string Percent(decimal? ratio) => ratio is { } r ? r.ToString("P1", CultureInfo.InvariantCulture) : "n/a";

    private static string Wire(Enum value) => System.Text.Json.JsonSerializer.Serialize(value, value.GetType()).Trim('"');

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

    // Ids are stable for a given day, so re-running the demo the same day sends duplicates, not new events.
    private EventEnvelope Envelope(string customerId, string type, DateTimeOffset occurredAt, object data) =>
        new($"demo-renewal-{_today:yyyyMMdd}-{customerId}-{++_sequence}", type, customerId, occurredAt, data);
}
