using System.Text.Json;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Renewal.Domain;

/// <summary>
/// Everything Renewal knows about one customer (its facts), evolved from its stream in arrival order. It keeps the facts with their
/// business dates and decides nothing: contracts, difficulty, window and risk are computed from it as of an instant, so
/// a late or out-of-order event lands where its dates put it.
/// </summary>
public sealed class CustomerRenewal
{
    /// <summary>Health readings kept: enough for every "since" and the usage baseline.</summary>
    public const int HealthHistoryLimit = 400;

    public string Id { get; set; } = "";

    /// <summary>By contract id; an earlier life of an id signed again after it had stopped under <see cref="EarlierLifeKey"/>.</summary>
    public Dictionary<string, ContractHistory> Contracts { get; set; } = [];

    public Dictionary<string, InvoiceRecord> Invoices { get; set; } = [];

    public List<StakeholderRecord> Stakeholders { get; set; } = [];

    /// <summary>HealthScore's readings, ordered by evaluation instant.</summary>
    public List<HealthRecorded> Health { get; set; } = [];

    /// <summary>The customer's owner by the latest profile that named one (what a CRM opens a task for).</summary>
    public string? Owner { get; set; }

    public DateTimeOffset? OwnerSince { get; set; }

    public CustomerTier Tier { get; set; } = CustomerTier.Standard;

    public DateTimeOffset? TierChangedAt { get; set; }

    /// <summary>The latest overdue state per delivery milestone, by Lifecycle's instant.</summary>
    public Dictionary<Milestone, MilestoneOverdueRecorded> Overdue { get; set; } = [];

    /// <summary>Keys (<c>contractId|endsOn</c>) of the windows already opened.</summary>
    public HashSet<string> WindowsOpened { get; set; } = [];

    public RiskAssessed? Risk { get; set; }

    // Query fields of the worklist, kept with the assessment that set them.

    public DateOnly? EndsOn { get; set; }

    public RiskLevel RiskLevel { get; set; }

    /// <summary><c>yyyy-MM-dd|customerId</c>: the worklist's order and cursor in one sortable string (null: no contract).</summary>
    public string? WorklistKey { get; set; }

    public static string WindowKey(string contractId, DateOnly endsOn) => $"{contractId}|{endsOn:yyyy-MM-dd}";

    public static string Key(DateOnly endsOn, string customerId) => $"{endsOn:yyyy-MM-dd}|{customerId}";

    /// <summary>Where an earlier life of a contract id is kept: '|' never occurs in an ingested id.</summary>
    public static string EarlierLifeKey(string contractId, DateOnly startsOn) => $"{contractId}|{startsOn:yyyy-MM-dd}";

    /// <summary>A deep copy to evolve and decide on while the stored one stays as read.</summary>
    public CustomerRenewal Copy() => JsonSerializer.Deserialize<CustomerRenewal>(JsonSerializer.Serialize(this))!;

    private ContractHistory ContractOf(string contractId)
    {
        if (!Contracts.TryGetValue(contractId, out var contract))
        {
            contract = new ContractHistory { ContractId = contractId };
            Contracts[contractId] = contract;
        }

        return contract;
    }

    /// <summary>The life of the contract id a fact dated <paramref name="day"/> belongs to: an earlier one when it predates the current signature.</summary>
    private ContractHistory ContractOf(string contractId, DateOnly day)
    {
        var current = ContractOf(contractId);
        if (current.Signed is not { } signed || day >= signed.StartsOn)
        {
            return current;
        }

        return Contracts.Values
            .Where(c => !ReferenceEquals(c, current) && c.ContractId == contractId && c.Signed is { } earlier && earlier.StartsOn <= day)
            .MaxBy(c => c.Signed!.StartsOn) ?? current;
    }

    public void Record(ContractSigned e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var signed = new SignedTerms(e.StartsOn, e.EndsOn, e.Arr, e.Currency, e.Seats, e.Products ?? [], e.OccurredAt);
        var current = ContractOf(e.ContractId);
        if (current.Signed is { } known && e.StartsOn != known.StartsOn)
        {
            if (e.StartsOn >= current.CoverageEnd)
            {
                // Signed again after it had stopped (a customer won back under the old id): a fresh history, the old one kept
                // as history. Facts of the new life that arrived before its signature move along.
                var fresh = new ContractHistory { ContractId = e.ContractId, Signed = signed };
                MoveFacts(current, fresh, effective: day => day >= e.StartsOn, renewalEnd: end => end > e.EndsOn);
                Contracts[EarlierLifeKey(e.ContractId, known.StartsOn)] = current;
                Contracts[e.ContractId] = fresh;
                return;
            }

            if (e.EndsOn <= known.StartsOn)
            {
                // An earlier life arriving after the later one: it takes the facts dated before the later signature.
                var key = EarlierLifeKey(e.ContractId, e.StartsOn);
                var earlier = Contracts.GetValueOrDefault(key) ?? new ContractHistory { ContractId = e.ContractId };
                earlier.Signed = signed;
                MoveFacts(current, earlier, effective: day => day < known.StartsOn, renewalEnd: end => end <= known.StartsOn);
                Contracts[key] = earlier;
                return;
            }
        }

        // The first signature, or a correction of the terms of the one in force.
        current.Signed = signed;
    }

    private static void MoveFacts(ContractHistory from, ContractHistory to, Func<DateOnly, bool> effective, Func<DateOnly, bool> renewalEnd)
    {
        foreach (var amendment in from.Amendments.Where(a => effective(a.EffectiveOn)).ToList())
        {
            from.Amendments.Remove(amendment);
            to.Amendments.Add(amendment);
        }

        foreach (var renewal in from.Renewals.Where(r => renewalEnd(r.EndsOn)).ToList())
        {
            from.Renewals.Remove(renewal);
            to.Renewals.Add(renewal);
        }

        if (from.Cancellation is { } cancellation && effective(cancellation.EffectiveOn))
        {
            to.Cancellation ??= cancellation;
            from.Cancellation = null;
        }
    }

    public void Record(ContractAmended e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var contract = ContractOf(e.ContractId, e.EffectiveOn);
        if (contract.Amendments.All(a => a.EventId != e.EventId))
        {
            contract.Amendments.Add(new Amendment(e.EventId, e.EffectiveOn, e.Arr, e.Seats, e.OccurredAt));
        }
    }

    public void Record(ContractRenewed e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var contract = ContractOf(e.ContractId, e.EndsOn.AddDays(-1));
        if (contract.Renewals.All(r => r.EventId != e.EventId))
        {
            contract.Renewals.Add(new RenewalTerms(e.EventId, e.EndsOn, e.Arr, e.Seats, e.OccurredAt));
        }
    }

    public void Record(ContractCancelled e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ContractOf(e.ContractId, e.EffectiveOn).Cancellation = new Cancellation(e.EffectiveOn, e.Reason, e.Competitor, e.OccurredAt);
    }

    public void Record(InvoiceIssued e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Invoices[e.InvoiceId] = (Invoices.GetValueOrDefault(e.InvoiceId) ?? new InvoiceRecord(e.InvoiceId, null, null, null)) with { Amount = e.Amount, DueOn = e.DueOn };
    }

    public void Record(InvoicePaid e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Invoices[e.InvoiceId] = (Invoices.GetValueOrDefault(e.InvoiceId) ?? new InvoiceRecord(e.InvoiceId, null, null, null)) with { PaidOn = e.PaidOn };
    }

    public void Record(StakeholderChanged e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Stakeholders.All(s => s.EventId != e.EventId))
        {
            Stakeholders.Add(new StakeholderRecord(e.EventId, e.Role, e.Change, e.PersonId, e.OccurredAt));
        }
    }

    /// <summary>A profile is partial: one without an owner leaves the known owner as it is.</summary>
    public void Record(CustomerProfiled e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Owner is { } owner && (OwnerSince is null || e.OccurredAt >= OwnerSince))
        {
            Owner = owner;
            OwnerSince = e.OccurredAt;
        }
    }

    public void Record(HealthRecorded e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Health.Any(h => h.EventId == e.EventId))
        {
            return;
        }

        var at = Health.FindLastIndex(h => h.EvaluatedAt <= e.EvaluatedAt) + 1;
        Health.Insert(at, e);
        if (Health.Count > HealthHistoryLimit)
        {
            Health.RemoveRange(0, Health.Count - HealthHistoryLimit);
        }
    }

    public void Record(TierRecorded e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (TierChangedAt is null || e.ChangedAt >= TierChangedAt)
        {
            Tier = e.Tier;
            TierChangedAt = e.ChangedAt;
        }
    }

    public void Record(MilestoneOverdueRecorded e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!Overdue.TryGetValue(e.Milestone, out var known) || e.ChangedAt >= known.ChangedAt)
        {
            Overdue[e.Milestone] = e;
        }
    }

    public void Record(RenewalWindowOpenedRecorded e)
    {
        ArgumentNullException.ThrowIfNull(e);
        WindowsOpened.Add(WindowKey(e.ContractId, e.EndsOn));
    }

    public void Record(RiskAssessed e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Risk = e;
        RiskLevel = e.Level;
        EndsOn = e.EndsOn;
        WorklistKey = e.EndsOn is { } endsOn ? Key(endsOn, e.CustomerId) : null;
    }
}

/// <summary>An invoice: amount and due date once issued, paid date once paid (either may arrive first).</summary>
public sealed record InvoiceRecord(string InvoiceId, decimal? Amount, DateOnly? DueOn, DateOnly? PaidOn);

/// <summary>A champion, decision maker, sponsor or admin joined or left.</summary>
public sealed record StakeholderRecord(string EventId, StakeholderRole Role, StakeholderChange Change, string? PersonId, DateTimeOffset OccurredAt);

/// <summary>
/// The evolve function beside the decider: one stream event applied to the state. The state's methods are named
/// <c>Record</c>, not <c>Apply</c>, so Marten's conventions leave them alone and the projection calls this one function.
/// </summary>
public static class RenewalEvolution
{
    /// <summary>
    /// Every event type of a Renewal stream: the parameter types of the state's <c>Record</c> overloads, which
    /// <see cref="Evolve"/> dispatches to, so the store's list cannot drift from the code that applies the events.
    /// </summary>
    public static readonly IReadOnlyList<Type> EventTypes = typeof(CustomerRenewal).GetMethods()
        .Where(m => m.Name == nameof(CustomerRenewal.Record) && m.GetParameters().Length == 1)
        .Select(m => m.GetParameters()[0].ParameterType)
        .ToList();

    /// <summary>Evolves the state by one stream event (any other type is not Renewal's business and changes nothing).</summary>
    public static void Evolve(this CustomerRenewal state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (@event)
        {
            case ContractSigned e: state.Record(e); break;
            case ContractAmended e: state.Record(e); break;
            case ContractRenewed e: state.Record(e); break;
            case ContractCancelled e: state.Record(e); break;
            case InvoiceIssued e: state.Record(e); break;
            case InvoicePaid e: state.Record(e); break;
            case StakeholderChanged e: state.Record(e); break;
            case CustomerProfiled e: state.Record(e); break;
            case HealthRecorded e: state.Record(e); break;
            case TierRecorded e: state.Record(e); break;
            case MilestoneOverdueRecorded e: state.Record(e); break;
            case RenewalWindowOpenedRecorded e: state.Record(e); break;
            case RiskAssessed e: state.Record(e); break;
        }
    }
}
