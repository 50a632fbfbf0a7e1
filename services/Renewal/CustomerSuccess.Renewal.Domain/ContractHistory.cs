namespace CustomerSuccess.Renewal.Domain;

/// <summary>
/// One contract (main product or add-on) with every change to it. Arithmetic is by business dates: a renewal takes
/// effect when the term before it ends, an amendment on its <c>effectiveOn</c>, a cancellation on its <c>effectiveOn</c>.
/// </summary>
public sealed class ContractHistory
{
    public string ContractId { get; set; } = "";

    /// <summary>Null while only later events (an amendment, a renewal) arrived before the signature.</summary>
    public SignedTerms? Signed { get; set; }

    public List<Amendment> Amendments { get; set; } = [];

    public List<RenewalTerms> Renewals { get; set; } = [];

    public Cancellation? Cancellation { get; set; }

    public string Currency => Signed?.Currency ?? "";

    /// <summary>The terms in order: the signed one, then one per renewal (each from the previous end to its own end).</summary>
    public IReadOnlyList<ContractTerm> Terms()
    {
        if (Signed is null)
        {
            return [];
        }

        var terms = new List<ContractTerm> { new(Signed.StartsOn, Signed.EndsOn, Signed.Arr, Signed.Seats, null) };
        foreach (var renewal in Renewals.OrderBy(r => r.EndsOn).ThenBy(r => r.OccurredAt))
        {
            var previous = terms[^1];
            if (renewal.EndsOn > previous.EndsOn)
            {
                terms.Add(new ContractTerm(previous.EndsOn, renewal.EndsOn, renewal.Arr, renewal.Seats ?? previous.Seats, renewal));
            }
        }

        return terms;
    }

    /// <summary>The first day it is no longer in force: the last term's end, or the cancellation's effective date if earlier.</summary>
    public DateOnly? CoverageEnd
    {
        get
        {
            if (Signed is null)
            {
                return null;
            }

            var end = Terms()[^1].EndsOn;
            return Cancellation is { } cancellation && cancellation.EffectiveOn < end ? cancellation.EffectiveOn : end;
        }
    }

    public bool InForceOn(DateOnly day) => Signed is { } signed && signed.StartsOn <= day && day < CoverageEnd;

    /// <summary>The term in force on <paramref name="day"/>, or the last one once all have ended.</summary>
    public ContractTerm? TermOn(DateOnly day)
    {
        var terms = Terms();
        return terms.Count == 0 ? null : terms.FirstOrDefault(t => day < t.EndsOn) ?? terms[^1];
    }

    /// <summary>Price points in force order: each term's start, then the amendments effective within the terms.</summary>
    private IEnumerable<(DateOnly From, decimal Arr, int Seats)> PricePoints() =>
        Terms().Select(t => (t.StartsOn, t.Arr, t.Seats, Order: 0))
            .Concat(Amendments.Select(a => (StartsOn: a.EffectiveOn, a.Arr, a.Seats, Order: 1)))
            .OrderBy(p => p.StartsOn).ThenBy(p => p.Order)
            .Select(p => (p.StartsOn, p.Arr, p.Seats));

    /// <summary>ARR in force on <paramref name="day"/> (0 when the contract is not in force then).</summary>
    public decimal ArrOn(DateOnly day) => InForceOn(day) ? PriceOn(day).Arr : 0m;

    public int SeatsOn(DateOnly day) => InForceOn(day) ? PriceOn(day).Seats : 0;

    /// <summary>The last price set on or before <paramref name="day"/>, in force or not (what was at stake when it ended).</summary>
    public (decimal Arr, int Seats) PriceOn(DateOnly day)
    {
        (decimal Arr, int Seats) price = (Signed?.Arr ?? 0m, Signed?.Seats ?? 0);
        foreach (var point in PricePoints())
        {
            if (point.From > day)
            {
                break;
            }

            price = (point.Arr, point.Seats);
        }

        return price;
    }

    /// <summary>
    /// <c>cancelled</c> once a cancellation is effective or announced, <c>lapsed</c> once the last term ended unrenewed,
    /// <c>renewed</c> once a renewal is signed (also before its term starts), otherwise <c>active</c>.
    /// </summary>
    public ContractStatus StatusOn(DateOnly day)
    {
        if (Cancellation is { } cancellation && (cancellation.EffectiveOn <= day || DateOnly.FromDateTime(cancellation.OccurredAt.UtcDateTime) <= day))
        {
            return ContractStatus.Cancelled;
        }

        var terms = Terms();
        if (terms.Count == 0 || day >= terms[^1].EndsOn)
        {
            return ContractStatus.Lapsed;
        }

        return terms.Skip(1).Any(t => DateOnly.FromDateTime(t.Renewal!.OccurredAt.UtcDateTime) <= day) ? ContractStatus.Renewed : ContractStatus.Active;
    }

    /// <summary>The end of the last term known: the next renewal once every signed renewal is counted.</summary>
    public DateOnly? RenewalDue => Signed is null ? null : Terms()[^1].EndsOn;

    /// <summary>Whether the amendment raised (expansion) or lowered (contraction) the ARR in force the day before it.</summary>
    public AmendmentKind KindOf(Amendment amendment)
    {
        ArgumentNullException.ThrowIfNull(amendment);
        var before = PriceOn(amendment.EffectiveOn.AddDays(-1)).Arr;
        return amendment.Arr > before ? AmendmentKind.Expansion : amendment.Arr < before ? AmendmentKind.Contraction : AmendmentKind.Unchanged;
    }
}

public sealed record SignedTerms(DateOnly StartsOn, DateOnly EndsOn, decimal Arr, string Currency, int Seats, IReadOnlyList<string> Products, DateTimeOffset SignedAt);

public sealed record Amendment(string EventId, DateOnly EffectiveOn, decimal Arr, int Seats, DateTimeOffset OccurredAt);

public sealed record RenewalTerms(string EventId, DateOnly EndsOn, decimal Arr, int? Seats, DateTimeOffset OccurredAt);

public sealed record Cancellation(DateOnly EffectiveOn, string? Reason, string? Competitor, DateTimeOffset OccurredAt);

/// <summary>One term: from <see cref="StartsOn"/> up to (not including) <see cref="EndsOn"/>; <see cref="Renewal"/> null for the signed one.</summary>
public sealed record ContractTerm(DateOnly StartsOn, DateOnly EndsOn, decimal Arr, int Seats, RenewalTerms? Renewal);

public enum ContractStatus
{
    Active,
    Renewed,
    Cancelled,
    Lapsed,
}

public enum AmendmentKind
{
    Expansion,
    Contraction,
    Unchanged,
}
