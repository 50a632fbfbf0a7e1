using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Renewal.Domain;

namespace CustomerSuccess.Renewal.Tests;

/// <summary>Arranges a customer's Renewal facts with events, as the service would record them.</summary>
public sealed class Customer(string id = "acme")
{
    private int _next;

    public CustomerRenewal Facts { get; } = new() { Id = id };

    public static DateOnly D(string day) => DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The start of a day (UTC): the "since" of a reason that holds from a business date.</summary>
    public static DateTimeOffset Midnight(string day) => new(D(day).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static DateTimeOffset At(string day) => new(D(day).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    private string NextId() => $"{id}-{++_next}";

    public Customer Record(object e)
    {
        Facts.Evolve(e);
        return this;
    }

    public Customer Signed(string contractId, decimal arr, string startsOn, string endsOn, string currency = "EUR", int seats = 10, string? signedAt = null) => Record(new ContractSigned
    {
        EventId = NextId(), CustomerId = id, OccurredAt = At(signedAt ?? startsOn), ReceivedAt = At(signedAt ?? startsOn),
        ContractId = contractId, Arr = arr, Currency = currency, Seats = seats, StartsOn = D(startsOn), EndsOn = D(endsOn),
    });

    public Customer Amended(string contractId, decimal arr, string effectiveOn, int seats = 10) => Record(new ContractAmended
    {
        EventId = NextId(), CustomerId = id, OccurredAt = At(effectiveOn), ReceivedAt = At(effectiveOn),
        ContractId = contractId, Arr = arr, Seats = seats, EffectiveOn = D(effectiveOn),
    });

    public Customer Renewed(string contractId, decimal arr, string endsOn, string signedOn, int? seats = null) => Record(new ContractRenewed
    {
        EventId = NextId(), CustomerId = id, OccurredAt = At(signedOn), ReceivedAt = At(signedOn),
        ContractId = contractId, Arr = arr, EndsOn = D(endsOn), Seats = seats,
    });

    public Customer Cancelled(string contractId, string effectiveOn, string? reason = null, string? competitor = null, string? announcedOn = null) => Record(new ContractCancelled
    {
        EventId = NextId(), CustomerId = id, OccurredAt = At(announcedOn ?? effectiveOn), ReceivedAt = At(announcedOn ?? effectiveOn),
        ContractId = contractId, EffectiveOn = D(effectiveOn), Reason = reason, Competitor = competitor,
    });

    /// <summary>An invoice due on <paramref name="dueOn"/>, paid on <paramref name="paidOn"/> (null: unpaid).</summary>
    public Customer Invoice(string dueOn, string? paidOn, decimal amount = 1000)
    {
        var invoiceId = $"inv-{dueOn}";
        Record(new InvoiceIssued { EventId = NextId(), CustomerId = id, OccurredAt = At(dueOn).AddDays(-30), ReceivedAt = At(dueOn), InvoiceId = invoiceId, Amount = amount, DueOn = D(dueOn) });
        return paidOn is null ? this : Record(new InvoicePaid { EventId = NextId(), CustomerId = id, OccurredAt = At(paidOn), ReceivedAt = At(paidOn), InvoiceId = invoiceId, PaidOn = D(paidOn) });
    }

    public Customer Stakeholder(StakeholderRole role, StakeholderChange change, string on, string? personId = null) => Record(new StakeholderChanged
    {
        EventId = NextId(), CustomerId = id, OccurredAt = At(on), ReceivedAt = At(on), Role = role, Change = change, PersonId = personId,
    });

    public Customer Health(string on, HealthBand band, Quadrant quadrant, HealthTrend trend = HealthTrend.Stable, decimal score = 60, HealthReadings? readings = null) => Record(new HealthRecorded
    {
        EventId = NextId(), Score = score, Band = band, Quadrant = quadrant, Trend = trend, EvaluatedAt = At(on), Readings = readings,
    });

    public Customer Tier(CustomerTier tier, string on = "2026-01-01") => Record(new TierRecorded(NextId(), tier, At(on)));

    public Customer Overdue(Milestone milestone, string dueOn, bool overdue = true) =>
        Record(new MilestoneOverdueRecorded(NextId(), milestone, D(dueOn), overdue, At(dueOn).AddDays(1)));

    /// <summary>Appends whatever the decider decides as of <paramref name="on"/>, as the service does; returns it.</summary>
    public IReadOnlyList<object> Evaluate(string on, RenewalSettings? settings = null)
    {
        var decided = RenewalDecider.Decide(Facts, settings ?? new RenewalSettings(), At(on));
        foreach (var e in decided)
        {
            Facts.Evolve(e);
        }

        return decided;
    }

    public RiskResult Risk(string on, RenewalSettings? settings = null) => RenewalRisk.Assess(Facts, settings ?? new RenewalSettings(), At(on));

    public DifficultyAssessment Difficulty(string on, RenewalSettings? settings = null) => Domain.Difficulty.Assess(Facts, settings ?? new RenewalSettings(), D(on));

    public RenewalOutlook Outlook(string on, RenewalSettings? settings = null) => RenewalOutlook.Of(Facts, settings ?? new RenewalSettings(), D(on));
}
