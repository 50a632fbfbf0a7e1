using System.Globalization;
using CustomerSuccess.Client;

namespace CustomerSuccess.LoadGenerator;

/// <summary>
/// A deterministic year of synthetic customers (same seed, customers, size and end date → the same envelopes, ids
/// included): usage by role and feature with a weekly rhythm and per-customer engagement drift, seat reports,
/// tickets (category, priority, response and resolution times, reopenings), NPS/CSAT/CES surveys, feedback,
/// contracts with invoices and payments, amendments, renewals, cancellations (churn) and win-backs,
/// stakeholder changes, milestones and referrals. Emitted day by day across all customers, like a live feed.
/// A shorter span (<paramref name="days"/>) packs the same story into fewer days; envelope ids start with
/// <paramref name="eventIdPrefix"/> (default: the customers' prefix), so a history of the same customers can precede a
/// load without sharing its ids.
/// </summary>
public sealed class SyntheticCustomers(int seed, int customers, long targetEvents, DateTimeOffset until, string idPrefix, int days = 365, string? eventIdPrefix = null)
{
    private static readonly string[] _features =
        ["message.sent", "channel.created", "file.shared", "search.run", "report.viewed", "integration.synced", "call.started", "dashboard.exported", "workflow.run", "api.called"];
    private static readonly string[] _roles = ["operator", "operator", "operator", "admin", "finance", "executive", "other"];
    private static readonly string[] _industries = ["software", "retail", "logistics", "finance", "health", "media"];
    private static readonly string[] _regions = ["EMEA", "NA", "APAC", "LATAM"];
    private static readonly string[] _categories = ["incident", "operational", "operational", "request", "request"];
    private static readonly string[] _priorities = ["urgent", "high", "normal", "normal", "low"];
    private static readonly string[] _milestones = ["account_opened", "configured", "trained", "first_value", "delivered", "handover_completed"];
    private static readonly string[] _stakeholderRoles = ["champion", "decision_maker", "executive_sponsor", "admin"];
    private static readonly int[] _sentiments = [-20, -10, -5, 5, 10, 20];

    private readonly int _days = days;
    private readonly string _eventIdPrefix = eventIdPrefix ?? idPrefix;

    /// <summary>Customer ids this run uses.</summary>
    public string CustomerId(int index) => $"{idPrefix}-c{index:D5}";

    public IEnumerable<EventEnvelope> Generate()
    {
        var start = new DateTimeOffset(until.UtcDateTime.Date, TimeSpan.Zero).AddDays(-_days);
        var profiles = Enumerable.Range(0, customers).Select(i => new Profile(seed, i, _days)).ToArray();
        // Usage dominates volume: scale it so the whole year is about targetEvents.
        var nonUsagePerCustomer = 126.0 * _days / 365; // about 126 other events per customer and year
        var usageBudget = Math.Max(1.0, (targetEvents / (double)customers) - nonUsagePerCustomer);
        var weightSum = profiles.Average(p => p.Users * p.Engagement) * _days * (5 + (2 * 0.15)) / 7;
        var usageScale = 1.25 * usageBudget / Math.Max(1e-9, weightSum); // ~80 % of customer-days are under contract

        long emitted = 0;
        for (var day = 0; day < _days && emitted < targetEvents; day++)
        {
            var date = start.AddDays(day);
            foreach (var profile in profiles)
            {
                foreach (var envelope in profile.Day(this, day, date, usageScale))
                {
                    yield return envelope;
                    if (++emitted >= targetEvents)
                    {
                        yield break;
                    }
                }
            }
        }
    }

    private EventEnvelope Envelope(Profile p, string type, DateTimeOffset occurredAt, object data) =>
        new($"{_eventIdPrefix}-c{p.Index:D5}-{p.NextSequence():D7}", type, CustomerId(p.Index), occurredAt, data);

    private static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One customer's traits and state; its own random stream keeps the output independent of iteration order.</summary>
    private sealed class Profile
    {
        private readonly Random _random;
        private readonly string[] _featureSet;
        private readonly int _contractStartDay;
        private readonly bool _willChurn;
        private readonly int _winBackAfterDays;
        private long _sequence;
        private int _contractNumber;
        private int _invoiceNumber;
        private int _ticketNumber;
        private int _personNumber;
        private int _seats;
        private decimal _arr;
        private bool _active;
        private int _churnedOnDay = -1;
        private int _milestoneIndex;
        private readonly List<(string Ticket, DateTimeOffset At, string Kind)> _pendingTickets = [];

        public Profile(int seed, int index, int days)
        {
            Index = index;
            _random = new Random(unchecked((seed * 1_000_003) + index));
            Users = 3 + (int)Math.Round(Math.Pow(_random.NextDouble(), 2) * 120);
            Engagement = 0.3 + _random.NextDouble();
            Drift = (_random.NextDouble() - 0.5) * 1.2; // engagement trend over the year
            _featureSet = _features.OrderBy(_ => _random.Next()).Take(3 + _random.Next(_features.Length - 3)).ToArray();
            _contractStartDay = (int)(_random.Next(0, 60) * (long)days / 365); // within the first sixth of the span, as of a year
            _willChurn = _random.NextDouble() < 0.12;
            _winBackAfterDays = _random.NextDouble() < 0.4 ? 30 + _random.Next(60) : int.MaxValue;
            _seats = Math.Max(5, Users + _random.Next(0, 20));
            _arr = _seats * (300 + _random.Next(0, 900));
            KeyAccount = _random.NextDouble() < 0.08;
        }

        public int Index { get; }

        public int Users { get; }

        public double Engagement { get; }

        public double Drift { get; }

        public bool KeyAccount { get; }

        public long NextSequence() => ++_sequence;

        public IEnumerable<EventEnvelope> Day(SyntheticCustomers g, int day, DateTimeOffset date, double usageScale)
        {
            var events = new List<EventEnvelope>();
            DateTimeOffset At(int minMinute, int maxMinute) => date.AddMinutes(_random.Next(minMinute, maxMinute)).AddSeconds(_random.Next(60));

            if (day == 0)
            {
                events.Add(g.Envelope(this, "customer.profiled", At(0, 60), new
                {
                    name = $"Customer {Index}",
                    industry = _industries[_random.Next(_industries.Length)],
                    region = _regions[_random.Next(_regions.Length)],
                    owner = $"csm{_random.Next(1, 12)}@example.com",
                    keyAccount = KeyAccount,
                    locations = 1 + _random.Next(8),
                    handoverComplete = false,
                }));
                foreach (var role in _stakeholderRoles.Take(2 + _random.Next(3)))
                {
                    events.Add(g.Envelope(this, "stakeholder.changed", At(60, 120), new { role, change = "joined", personId = $"p{++_personNumber}" }));
                }
            }

            if (day == _contractStartDay || (_churnedOnDay >= 0 && day == _churnedOnDay + _winBackAfterDays))
            {
                Sign(g, events, date, At(480, 600));
            }

            if (_active)
            {
                var sinceStart = day - _contractStartDay;
                if (sinceStart is >= 0 and < 120 && sinceStart % 20 == 0 && _milestoneIndex < _milestones.Length)
                {
                    events.Add(g.Envelope(this, "milestone.reached", At(600, 700), new { milestone = _milestones[_milestoneIndex++] }));
                }

                Usage(g, events, day, date, usageScale);
                Tickets(g, events, date);
                if (date.DayOfWeek == DayOfWeek.Monday)
                {
                    var assigned = Math.Min(_seats, (int)(Users * (0.8 + (0.2 * _random.NextDouble()))));
                    events.Add(g.Envelope(this, "seats.reported", At(0, 30), new { paid = _seats, free = _random.Next(0, 5), assigned }));
                }

                if (_random.NextDouble() < 1 / 30.0)
                {
                    var survey = _random.Next(3) switch { 0 => "nps", 1 => "csat", _ => "ces" };
                    var score = survey switch
                    {
                        "nps" => Math.Clamp((int)Math.Round(7 + (Drift * 4) + (_random.NextDouble() * 4) - 2), 0, 10),
                        "csat" => Math.Clamp((int)Math.Round(4 + (Drift * 2) + _random.NextDouble() - 0.5), 1, 5),
                        _ => Math.Clamp((int)Math.Round(3 - (Drift * 3) + (_random.NextDouble() * 2)), 1, 7),
                    };
                    events.Add(g.Envelope(this, "survey.answered", At(540, 1000), new { survey, score, userId = $"u{_random.Next(Users)}" }));
                }

                if (_random.NextDouble() < 1 / 45.0)
                {
                    events.Add(g.Envelope(this, "feedback.recorded", At(540, 1000), new { touchpoint = _random.Next(2) == 0 ? "qbr" : "support", sentiment = _sentiments[_random.Next(_sentiments.Length)] }));
                }

                if (_random.NextDouble() < 1 / 120.0)
                {
                    var role = _stakeholderRoles[_random.Next(_stakeholderRoles.Length)];
                    events.Add(g.Envelope(this, "stakeholder.changed", At(540, 1000), new { role, change = _random.Next(2) == 0 ? "left" : "joined", personId = $"p{++_personNumber}" }));
                }

                if (_random.NextDouble() < 1 / 200.0)
                {
                    events.Add(g.Envelope(this, "referral.made", At(540, 1000), new { referredCompany = $"Prospect {Index}-{_random.Next(1000)}" }));
                }

                if (sinceStart > 0 && sinceStart % 90 == 0)
                {
                    Invoice(g, events, date);
                }

                if (sinceStart == 180 && _random.NextDouble() < 0.3)
                {
                    _seats += 5 + _random.Next(30);
                    _arr = decimal.Round(_arr * 1.15m, 2);
                    events.Add(g.Envelope(this, "contract.amended", At(600, 900), new { contractId = Contract, arr = _arr, seats = _seats, effectiveOn = Date(date) }));
                }

                if (_willChurn && sinceStart == 200 + (Index % 100))
                {
                    events.Add(g.Envelope(this, "contract.cancelled", At(600, 900), new { contractId = Contract, effectiveOn = Date(date), reason = "budget", competitor = _random.Next(2) == 0 ? "RivalCo" : "OtherCo" }));
                    _active = false;
                    _churnedOnDay = day;
                }
                else if (!_willChurn && sinceStart == 330)
                {
                    events.Add(g.Envelope(this, "contract.renewed", At(600, 900), new { contractId = Contract, arr = decimal.Round(_arr * 1.05m, 2), endsOn = Date(date.AddDays(400)), seats = _seats }));
                }
            }

            return events.OrderBy(e => e.OccurredAt);
        }

        private string Contract => $"k{_contractNumber}";

        private void Sign(SyntheticCustomers g, List<EventEnvelope> events, DateTimeOffset date, DateTimeOffset at)
        {
            _contractNumber++;
            _active = true;
            events.Add(g.Envelope(this, "contract.signed", at, new
            {
                contractId = Contract,
                arr = _arr,
                currency = "EUR",
                seats = _seats,
                startsOn = Date(date),
                endsOn = Date(date.AddDays(365)),
                products = new[] { "core", _random.Next(2) == 0 ? "analytics" : "integrations" },
            }));
            Invoice(g, events, date);
        }

        private void Invoice(SyntheticCustomers g, List<EventEnvelope> events, DateTimeOffset date)
        {
            var invoice = $"i{++_invoiceNumber}";
            events.Add(g.Envelope(this, "invoice.issued", date.AddHours(9), new { invoiceId = invoice, amount = decimal.Round(_arr / 4, 2), dueOn = Date(date.AddDays(30)) }));
            var paidAfter = _random.NextDouble() < 0.85 ? _random.Next(3, 28) : _random.Next(31, 75);
            _pendingTickets.Add((invoice, date.AddDays(paidAfter).AddHours(11), "paid"));
        }

        private void Usage(SyntheticCustomers g, List<EventEnvelope> events, int day, DateTimeOffset date, double usageScale)
        {
            var weekday = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.15 : 1.0;
            var trend = Math.Max(0.1, 1 + (Drift * day / g._days));
            var expected = Users * Engagement * weekday * trend * usageScale;
            var count = (int)expected + (_random.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);
            for (var i = 0; i < count; i++)
            {
                var user = _random.Next(Users);
                var role = _roles[user % _roles.Length];
                var feature = role == "executive" ? "report.viewed" : _featureSet[_random.Next(_featureSet.Length)];
                events.Add(g.Envelope(this, "usage.recorded", date.AddHours(8).AddSeconds(_random.Next(10 * 3600)), new { feature, userId = $"u{user}", role, quantity = 1 + _random.Next(5) }));
            }
        }

        private void Tickets(SyntheticCustomers g, List<EventEnvelope> events, DateTimeOffset date)
        {
            // follow-ups (responses, resolutions, reopenings, payments) due today
            var due = _pendingTickets.Where(t => t.At < date.AddDays(1)).ToList();
            foreach (var (id, at, kind) in due)
            {
                _pendingTickets.Remove((id, at, kind));
                switch (kind)
                {
                    case "paid":
                        events.Add(g.Envelope(this, "invoice.paid", at, new { invoiceId = id, paidOn = Date(at) }));
                        break;
                    case "respond":
                        events.Add(g.Envelope(this, "ticket.responded", at, new { ticketId = id }));
                        _pendingTickets.Add((id, at.AddHours(1 + _random.Next(72)), "resolve"));
                        break;
                    case "resolve":
                        events.Add(g.Envelope(this, "ticket.resolved", at, new { ticketId = id }));
                        if (_random.NextDouble() < 0.08)
                        {
                            _pendingTickets.Add((id, at.AddDays(1 + _random.Next(5)), "reopen"));
                        }

                        break;
                    default:
                        events.Add(g.Envelope(this, "ticket.reopened", at, new { ticketId = id }));
                        _pendingTickets.Add((id, at.AddHours(2 + _random.Next(24)), "resolve"));
                        break;
                }
            }

            var ticketRate = (0.02 + (0.03 * Math.Max(0, -Drift))) * Math.Sqrt(Users) / 3;
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && _random.NextDouble() < ticketRate)
            {
                var ticket = $"t{++_ticketNumber}";
                var priority = _priorities[_random.Next(_priorities.Length)];
                var opened = date.AddHours(8).AddMinutes(_random.Next(9 * 60));
                events.Add(g.Envelope(this, "ticket.opened", opened, new { ticketId = ticket, category = _categories[_random.Next(_categories.Length)], priority }));
                var responseMinutes = priority switch { "urgent" => 5 + _random.Next(60), "high" => 30 + _random.Next(240), _ => 60 + _random.Next(48 * 60) };
                _pendingTickets.Add((ticket, opened.AddMinutes(responseMinutes), "respond"));
            }
        }
    }
}
