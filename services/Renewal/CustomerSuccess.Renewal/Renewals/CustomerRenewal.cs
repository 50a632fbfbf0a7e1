using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>A customer's current contract and payment record, built from its Renewal stream (a Marten inline snapshot).</summary>
public sealed class CustomerRenewal
{
    public string Id { get; set; } = "";

    public string? ContractId { get; set; }

    public decimal? Arr { get; set; }

    public string? Currency { get; set; }

    public DateOnly? EndsOn { get; set; }

    public DateOnly? CancelledOn { get; set; }

    public Dictionary<string, Invoice> Invoices { get; set; } = [];

    public void Apply(ContractSigned signed)
    {
        ContractId = signed.ContractId;
        Arr = signed.Arr;
        Currency = signed.Currency;
        EndsOn = signed.EndsOn;
        CancelledOn = null;
    }

    public void Apply(ContractAmended amended)
    {
        if (amended.ContractId == ContractId)
        {
            Arr = amended.Arr;
        }
    }

    public void Apply(ContractRenewed renewed)
    {
        ContractId = renewed.ContractId;
        Arr = renewed.Arr;
        EndsOn = renewed.EndsOn;
        CancelledOn = null;
    }

    public void Apply(ContractCancelled cancelled)
    {
        if (cancelled.ContractId == ContractId)
        {
            CancelledOn = cancelled.EffectiveOn;
        }
    }

    public void Apply(InvoiceIssued issued) =>
        Invoices[issued.InvoiceId] = new Invoice(issued.Amount, issued.DueOn, Invoices.GetValueOrDefault(issued.InvoiceId)?.PaidOn);

    public void Apply(InvoicePaid paid) =>
        Invoices[paid.InvoiceId] = (Invoices.GetValueOrDefault(paid.InvoiceId) ?? new Invoice(null, null, null)) with { PaidOn = paid.PaidOn };

    /// <summary>
    /// Renewal difficulty from the payment record: <c>smooth</c> pays on time; <c>difficult</c> paid late once or
    /// has an overdue invoice; <c>very_difficult</c> paid late repeatedly.
    /// </summary>
    public string Difficulty(DateOnly today)
    {
        var late = Invoices.Values.Count(i => i.DueOn is { } due && ((i.PaidOn is { } paid && paid > due) || (i.PaidOn is null && today > due)));
        return late switch
        {
            0 => "smooth",
            1 => "difficult",
            _ => "very_difficult",
        };
    }
}

/// <summary>An invoice: amount and due date once issued, paid date once paid (either may arrive first).</summary>
public sealed record Invoice(decimal? Amount, DateOnly? DueOn, DateOnly? PaidOn);
