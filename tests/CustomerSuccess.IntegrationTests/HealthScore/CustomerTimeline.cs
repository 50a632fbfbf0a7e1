using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Http;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// Builds one customer's envelopes for <c>POST /v1/events</c>, dated relative to a "today" (noon UTC, so a test that
/// runs across midnight still counts the same whole days), and posts them to Ingestion.
/// </summary>
internal sealed class CustomerTimeline(string customerId, DateTimeOffset now)
{
    private readonly List<object> _pending = [];
    private readonly List<(DateTimeOffset At, int Quantity)> _usage = [];
    private int _sequence;

    public string CustomerId { get; } = customerId;

    /// <summary>Midnight UTC of today.</summary>
    public DateTimeOffset Today { get; } = new(now.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>The given hour (UTC) of the day <paramref name="daysAgo"/> days before today.</summary>
    public DateTimeOffset DaysAgo(double daysAgo, double hour = 12) => Today.AddDays(-daysAgo).AddHours(hour);

    public static bool IsWeekend(DateTimeOffset day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    public CustomerTimeline Add(string type, DateTimeOffset occurredAt, object data)
    {
        _pending.Add(new { id = $"{CustomerId}-{++_sequence:D5}", type, customerId = CustomerId, occurredAt, data });
        return this;
    }

    public CustomerTimeline Seats(int paid, double daysAgo) =>
        Add("seats.reported", DaysAgo(daysAgo), new { paid, free = 0, assigned = paid });

    public CustomerTimeline Use(string userId, string role, string feature, double daysAgo, int quantity = 1)
    {
        _usage.Add((DaysAgo(daysAgo, 10), quantity));
        return Add("usage.recorded", DaysAgo(daysAgo, 10), new { feature, userId, role, quantity });
    }

    /// <summary>
    /// The raw output index (quantity of use in the 30 whole days before the day of the instant ÷ paid seats) once every
    /// usage event posted so far has been applied: a test waits for it to know the health reflects all of them.
    /// </summary>
    public double ExpectedOutputIndex(int paidSeats, double asOfDaysAgo = 0)
    {
        var day = Today.AddDays(-Math.Floor(asOfDaysAgo));
        var quantity = _usage.Where(u => u.At >= day.AddDays(-30) && u.At < day).Sum(u => u.Quantity);
        return Math.Round((double)quantity / paidSeats, 3, MidpointRounding.AwayFromZero);
    }

    /// <summary><paramref name="users"/> users using <paramref name="features"/> on every working day from <paramref name="fromDaysAgo"/> to <paramref name="toDaysAgo"/>.</summary>
    public CustomerTimeline HeavyUse(int fromDaysAgo, int toDaysAgo, int users, params string[] features)
    {
        string[] roles = ["operator", "executive", "finance"];
        for (var daysAgo = fromDaysAgo; daysAgo >= toDaysAgo; daysAgo--)
        {
            if (IsWeekend(DaysAgo(daysAgo)))
            {
                continue;
            }

            for (var u = 0; u < users; u++)
            {
                foreach (var feature in features.Length > 0 ? features : ["message.sent"])
                {
                    Use($"user-{u:D2}", roles[u % roles.Length], feature, daysAgo);
                }
            }
        }

        return this;
    }

    public CustomerTimeline Survey(string survey, int score, double daysAgo, string userId) =>
        Add("survey.answered", DaysAgo(daysAgo), new { survey, score, userId });

    public CustomerTimeline ContractSigned(string contractId, double daysAgo, int seats = 10) =>
        Add("contract.signed", DaysAgo(daysAgo), new
        {
            contractId, arr = 12000, currency = "EUR", seats,
            startsOn = DateOnly.FromDateTime(DaysAgo(daysAgo).UtcDateTime), endsOn = DateOnly.FromDateTime(DaysAgo(daysAgo - 365).UtcDateTime),
        });

    public CustomerTimeline ContractRenewed(string contractId, double daysAgo) =>
        Add("contract.renewed", DaysAgo(daysAgo), new { contractId, arr = 12000, endsOn = DateOnly.FromDateTime(DaysAgo(daysAgo - 365).UtcDateTime) });

    public CustomerTimeline ContractCancelled(string contractId, double daysAgo) =>
        Add("contract.cancelled", DaysAgo(daysAgo), new { contractId, effectiveOn = DateOnly.FromDateTime(DaysAgo(daysAgo).UtcDateTime), reason = "no value" });

    /// <summary>Posts everything added since the last post (in batches of 1000) and checks each batch was accepted.</summary>
    public async Task PostAsync(HttpClient ingestion)
    {
        foreach (var batch in _pending.Chunk(1000))
        {
            using var response = await ingestion.PostAsJsonAsync("/v1/events", batch);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var result = await response.Content.ReadFromJsonAsync<IngestionResult>();
            Assert.Equal(batch.Length, result!.Accepted);
        }

        _pending.Clear();
    }
}
