using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;

namespace CustomerSuccess.HealthScore.Tests;

/// <summary>
/// Builds a customer's contract events relative to a fixed "today" (<see cref="AsOf"/>, a Tuesday noon UTC),
/// and the facts and health they lead to.
/// </summary>
internal sealed class CustomerHistory(string customerId = "acme")
{
    public static readonly DateTimeOffset AsOf = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly List<CustomerEvent> _events = [];

    public string CustomerId { get; } = customerId;
    public IReadOnlyList<CustomerEvent> Events => _events;

    /// <summary>Noon (or the given hour) UTC, <paramref name="daysAgo"/> days before today.</summary>
    public static DateTimeOffset DaysAgo(double daysAgo, double hour = 12) =>
        new DateTimeOffset(AsOf.UtcDateTime.Date, TimeSpan.Zero).AddDays(-daysAgo).AddHours(hour);

    public CustomerHistory Add(CustomerEvent e)
    {
        _events.Add(e);
        return this;
    }

    public CustomerHistory Profile(bool keyAccount, double daysAgo = 200) =>
        Add(new CustomerProfiled { Name = CustomerId, KeyAccount = keyAccount, EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf });

    public CustomerHistory Seats(int paid, int? assigned = null, int free = 0, double daysAgo = 200) =>
        Add(new SeatsReported { Paid = paid, Assigned = assigned ?? paid, Free = free, EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf });

    public CustomerHistory Use(string userId, UserRole? role, string feature, double daysAgo, int quantity = 1, double hour = 10) =>
        Add(new UsageRecorded
        {
            Feature = feature, UserId = userId, Role = role, Quantity = quantity,
            EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo, hour), ReceivedAt = AsOf,
        });

    public CustomerHistory Ticket(
        string ticketId, TicketCategory category, TicketPriority priority, double openedDaysAgo,
        TimeSpan? respondAfter = null, TimeSpan? resolveAfter = null, TimeSpan? reopenAfter = null, double hour = 9)
    {
        var opened = DaysAgo(openedDaysAgo, hour);
        Add(new TicketOpened { TicketId = ticketId, Category = category, Priority = priority, EventId = NextId(), CustomerId = CustomerId, OccurredAt = opened, ReceivedAt = AsOf });
        if (respondAfter is { } r)
        {
            Add(new TicketResponded { TicketId = ticketId, EventId = NextId(), CustomerId = CustomerId, OccurredAt = opened + r, ReceivedAt = AsOf });
        }

        if (resolveAfter is { } s)
        {
            Add(new TicketResolved { TicketId = ticketId, EventId = NextId(), CustomerId = CustomerId, OccurredAt = opened + s, ReceivedAt = AsOf });
        }

        if (reopenAfter is { } o)
        {
            Add(new TicketReopened { TicketId = ticketId, EventId = NextId(), CustomerId = CustomerId, OccurredAt = opened + o, ReceivedAt = AsOf });
        }

        return this;
    }

    public CustomerHistory Survey(SurveyKind survey, int score, double daysAgo, string? userId = null) =>
        Add(new SurveyAnswered { Survey = survey, Score = score, UserId = userId, EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf });

    public CustomerHistory Stakeholder(StakeholderRole role, StakeholderChange change, double daysAgo, string? personId = null) =>
        Add(new StakeholderChanged { Role = role, Change = change, PersonId = personId, EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf });

    public CustomerHistory Referral(double daysAgo) =>
        Add(new ReferralMade { ReferredCompany = "globex", EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf });

    public CustomerHistory Feedback(int sentiment, double daysAgo) =>
        Add(new FeedbackRecorded { Touchpoint = "setup", Sentiment = sentiment, EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf });

    public CustomerHistory ContractSigned(string contractId, decimal arr, int seats, double daysAgo) =>
        Add(new ContractSigned
        {
            ContractId = contractId, Arr = arr, Currency = "EUR", Seats = seats,
            StartsOn = DateOnly.FromDateTime(DaysAgo(daysAgo).UtcDateTime), EndsOn = DateOnly.FromDateTime(DaysAgo(daysAgo - 365).UtcDateTime),
            EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf,
        });

    public CustomerHistory ContractAmended(string contractId, decimal arr, int seats, double daysAgo) =>
        Add(new ContractAmended
        {
            ContractId = contractId, Arr = arr, Seats = seats, EffectiveOn = DateOnly.FromDateTime(DaysAgo(daysAgo).UtcDateTime),
            EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf,
        });

    public CustomerHistory ContractCancelled(string contractId, double daysAgo) =>
        Add(new ContractCancelled
        {
            ContractId = contractId, EffectiveOn = DateOnly.FromDateTime(DaysAgo(daysAgo).UtcDateTime),
            EventId = NextId(), CustomerId = CustomerId, OccurredAt = DaysAgo(daysAgo), ReceivedAt = AsOf,
        });

    public CustomerFacts Facts() => Roll(_events);

    public HealthResult Health(
        CustomerTier tier = CustomerTier.Standard, LifecycleStage stage = LifecycleStage.Mature, DateTimeOffset? asOf = null, ScoringModel? model = null) =>
        HealthEvaluation.Evaluate(Facts(), model ?? ScoringModel.Default, tier, stage, asOf ?? AsOf);

    /// <summary>Applies events in the given order, the way the service's snapshot does.</summary>
    public static CustomerFacts Roll(IEnumerable<CustomerEvent> events, CustomerFacts? facts = null)
    {
        facts ??= new CustomerFacts();
        foreach (var e in events)
        {
            facts.Record(e);
        }

        return facts;
    }

    private string NextId() => $"{CustomerId}-{_events.Count + 1:D6}";
}
