using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.HealthScore.Domain;

/// <summary>Paid seats and, when reported, seats assigned to named users.</summary>
internal sealed record SeatCount(int Paid, int Assigned);

/// <summary>
/// A customer's facts as they stood at an instant: nothing dated after it is visible, and every window trails from it.
/// </summary>
/// <remarks>
/// Usage is bucketed by UTC day, so a usage window covers the whole days before the evaluated instant's own day:
/// as of any time on day D, a 30-day window is D−30 … D−1. That keeps the part of day D after the instant out,
/// and makes "use that continues to yesterday" the fully active case.
/// </remarks>
internal sealed class FactsAsOf(CustomerFacts facts, ScoringModel model, DateTimeOffset asOf)
{
    public CustomerFacts Facts { get; } = facts;
    public ScoringModel Model { get; } = model;
    public DateTimeOffset AsOf { get; } = asOf;
    public DateOnly Today { get; } = DateOnly.FromDateTime(asOf.UtcDateTime);

    /// <summary>Usage buckets of the whole days in the window (the <paramref name="days"/> days before today).</summary>
    public IEnumerable<UsageDay> UsageDays(int days)
    {
        var from = Today.AddDays(-days);
        return Facts.UsageDays.Where(d => d.Date >= from && d.Date < Today);
    }

    /// <summary>Monday–Friday dates among the whole days in the window.</summary>
    public IEnumerable<DateOnly> WorkingDays(int days) =>
        Enumerable.Range(1, days)
            .Select(back => Today.AddDays(-back))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>Distinct active users in the window.</summary>
    public HashSet<string> ActiveUsers(int days) =>
        UsageDays(days).SelectMany(d => d.Users.Keys).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when a fact instant lies in the trailing window (AsOf − days, AsOf].</summary>
    public bool InWindow(DateTimeOffset at, int days) => at <= AsOf && at > AsOf.AddDays(-days);

    /// <summary>
    /// Seats as of the instant: the latest seat report, else the seats of the contracts in force (else of the newest
    /// contract); null when neither says anything.
    /// </summary>
    public SeatCount? Seats()
    {
        var reported = Facts.Seats.LastOrDefault(s => s.At <= AsOf);
        var fromContracts = ContractSeats();
        if (reported is { Paid: > 0 })
        {
            return new SeatCount(reported.Paid, reported.Assigned > 0 ? reported.Assigned : reported.Paid);
        }

        if (fromContracts is > 0)
        {
            var assigned = reported is { Assigned: > 0 } ? reported.Assigned : fromContracts.Value;
            return new SeatCount(fromContracts.Value, assigned);
        }

        return reported is { Assigned: > 0 } ? new SeatCount(reported.Assigned, reported.Assigned) : null;
    }

    private int? ContractSeats()
    {
        var known = Facts.Contracts.Where(c => c.At <= AsOf).GroupBy(c => c.ContractId, StringComparer.Ordinal).ToList();
        if (known.Count == 0)
        {
            return null;
        }

        int? SeatsOf(IEnumerable<ContractObservation> history) => history.LastOrDefault(c => c.Seats is not null)?.Seats;

        bool InForce(IEnumerable<ContractObservation> history)
        {
            var list = history.ToList();
            var startsOn = list.LastOrDefault(c => c.StartsOn is not null)?.StartsOn ?? DateOnly.MinValue;
            var endsOn = list.LastOrDefault(c => c.EndsOn is not null)?.EndsOn ?? DateOnly.MaxValue;
            var cancelled = list.Any(c => c.Change == ContractChange.Cancelled && (c.EffectiveOn ?? Today) <= Today);
            return startsOn <= Today && Today <= endsOn && !cancelled;
        }

        var inForce = known.Where(InForce).Select(SeatsOf).Where(s => s is not null).ToList();
        if (inForce.Count > 0)
        {
            return inForce.Sum();
        }

        return SeatsOf(known.SelectMany(g => g).OrderBy(c => c.At).ThenBy(c => c.EventId, StringComparer.Ordinal));
    }

    /// <summary>Tickets opened in the window whose opening (and so category) is known.</summary>
    public IReadOnlyList<TicketRecord> TicketsOpened(int days) =>
        Facts.Tickets.Where(t => t.OpenedAt is { } opened && t.Category is not null && InWindow(opened, days)).ToList();

    public IReadOnlyList<SurveyResponse> Answers(SurveyKind survey, int days) =>
        Facts.Surveys.Where(s => s.Survey == survey && InWindow(s.At, days)).ToList();

    public IReadOnlyList<StakeholderObservation> StakeholdersKnown() => Facts.Stakeholders.Where(s => s.At <= AsOf).ToList();
}
