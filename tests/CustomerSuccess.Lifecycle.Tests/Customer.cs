using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Lifecycle.Domain;

namespace CustomerSuccess.Lifecycle.Tests;

/// <summary>A customer's facts, written relative to a fixed day 0 (2026-01-01 00:00 UTC), in any order.</summary>
internal sealed class Customer
{
    public static readonly DateTimeOffset Day0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<object> _events = [];
    private int _sequence;

    public Customer(string id = "acme") => Id = id;

    public string Id { get; }

    public LifecycleSettings Settings { get; } = new();

    public IReadOnlyList<object> Events => _events;

    public static DateTimeOffset Day(double day) => Day0.AddDays(day);

    public static DateOnly Date(int day) => DateOnly.FromDateTime(Day0.AddDays(day).UtcDateTime);

    public Customer Add(object e)
    {
        _events.Add(e);
        return this;
    }

    public Customer Signed(int startsOn, int endsOn, decimal arr = 12_000, int seats = 10, string contractId = "c-1", double? occurredOn = null) =>
        Add(new ContractSigned
        {
            EventId = Next(), CustomerId = Id, OccurredAt = Day(occurredOn ?? startsOn), ReceivedAt = Day(occurredOn ?? startsOn),
            ContractId = contractId, Arr = arr, Currency = "EUR", Seats = seats, StartsOn = Date(startsOn), EndsOn = Date(endsOn),
        });

    public Customer Renewed(double on, int endsOn, decimal arr = 12_000, string contractId = "c-1", int? seats = null) =>
        Add(new ContractRenewed
        {
            EventId = Next(), CustomerId = Id, OccurredAt = Day(on), ReceivedAt = Day(on), ContractId = contractId, Arr = arr, EndsOn = Date(endsOn), Seats = seats,
        });

    public Customer Amended(int effectiveOn, decimal arr, int seats, string contractId = "c-1") =>
        Add(new ContractAmended
        {
            EventId = Next(), CustomerId = Id, OccurredAt = Day(effectiveOn), ReceivedAt = Day(effectiveOn), ContractId = contractId, Arr = arr, Seats = seats,
            EffectiveOn = Date(effectiveOn),
        });

    public Customer Cancelled(int effectiveOn, string? reason = null, string? competitor = null, string contractId = "c-1", double? occurredOn = null) =>
        Add(new ContractCancelled
        {
            EventId = Next(), CustomerId = Id, OccurredAt = Day(occurredOn ?? effectiveOn), ReceivedAt = Day(occurredOn ?? effectiveOn),
            ContractId = contractId, EffectiveOn = Date(effectiveOn), Reason = reason, Competitor = competitor,
        });

    public Customer Reached(Milestone milestone, double on) =>
        Add(new MilestoneReached { EventId = Next(), CustomerId = Id, OccurredAt = Day(on), ReceivedAt = Day(on), Milestone = milestone });

    public Customer Profiled(double on, bool? keyAccount = null, bool? handoverComplete = null, int? locations = null) =>
        Add(new CustomerProfiled
        {
            EventId = Next(), CustomerId = Id, OccurredAt = Day(on), ReceivedAt = Day(on), Name = Id, KeyAccount = keyAccount,
            HandoverComplete = handoverComplete, Locations = locations,
        });

    public Customer Seats(double on, int paid) =>
        Add(new SeatsReported { EventId = Next(), CustomerId = Id, OccurredAt = Day(on), ReceivedAt = Day(on), Paid = paid, Free = 0, Assigned = paid });

    public Customer Health(double on, HealthBand band, decimal outcome = 60) => Add(new HealthObserved(Next(), band, outcome, Day(on)));

    public Customer Window(int openedOn, int endsOn, string contractId = "c-1") => Add(new RenewalWindowObserved(Next(), contractId, Date(endsOn), Date(openedOn)));

    public Customer Calibrated(double on, CustomerTier tier, string reason = "test") => Add(new TierCalibrated(tier, reason, Day(on)));

    public Customer Pinned(double on, CustomerTier tier, string reason) => Add(new TierPinned(tier, reason, Day(on)));

    public Customer Unpinned(double on, string reason = "back to data") => Add(new TierUnpinned(reason, Day(on)));

    public LifecycleHistory History() => LifecycleHistory.From(Id, _events);

    public LifecycleView On(double day) => LifecycleTimeline.Derive(History(), Settings, Day(day));

    /// <summary>Runs the decider day by day from <paramref name="fromDay"/> to <paramref name="toDay"/> (as the daily evaluation does) and returns everything it appended.</summary>
    public IReadOnlyList<object> RunDaily(int fromDay, int toDay)
    {
        var appended = new List<object>();
        for (var day = fromDay; day <= toDay; day++)
        {
            var decided = LifecycleDecider.Decide(History(), [], Settings, Day(day).AddMinutes(5));
            _events.AddRange(decided);
            appended.AddRange(decided);
        }

        return appended;
    }

    private string Next() => $"{Id}-{++_sequence}";
}
