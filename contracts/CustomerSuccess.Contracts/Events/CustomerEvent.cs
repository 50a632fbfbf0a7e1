using System.Text.Json.Serialization;

namespace CustomerSuccess.Contracts.Events;

/// <summary>
/// An event a product backend posted about one customer, accepted and committed by Ingestion.
/// The JSON discriminator <c>type</c> is the public envelope type (e.g. <c>usage.recorded</c>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CustomerProfiled), CustomerProfiled.TypeName)]
[JsonDerivedType(typeof(UsageRecorded), UsageRecorded.TypeName)]
[JsonDerivedType(typeof(SeatsReported), SeatsReported.TypeName)]
[JsonDerivedType(typeof(TicketOpened), TicketOpened.TypeName)]
[JsonDerivedType(typeof(TicketResponded), TicketResponded.TypeName)]
[JsonDerivedType(typeof(TicketResolved), TicketResolved.TypeName)]
[JsonDerivedType(typeof(TicketReopened), TicketReopened.TypeName)]
[JsonDerivedType(typeof(SurveyAnswered), SurveyAnswered.TypeName)]
[JsonDerivedType(typeof(ContractSigned), ContractSigned.TypeName)]
[JsonDerivedType(typeof(ContractAmended), ContractAmended.TypeName)]
[JsonDerivedType(typeof(ContractRenewed), ContractRenewed.TypeName)]
[JsonDerivedType(typeof(ContractCancelled), ContractCancelled.TypeName)]
[JsonDerivedType(typeof(InvoiceIssued), InvoiceIssued.TypeName)]
[JsonDerivedType(typeof(InvoicePaid), InvoicePaid.TypeName)]
[JsonDerivedType(typeof(StakeholderChanged), StakeholderChanged.TypeName)]
[JsonDerivedType(typeof(MilestoneReached), MilestoneReached.TypeName)]
[JsonDerivedType(typeof(ReferralMade), ReferralMade.TypeName)]
[JsonDerivedType(typeof(FeedbackRecorded), FeedbackRecorded.TypeName)]
public abstract record CustomerEvent
{
    /// <summary>The client-chosen envelope id; stable across redelivery, the key consumers de-duplicate by.</summary>
    public required string EventId { get; init; }

    /// <summary>The vendor's own customer id (the stream key in every service).</summary>
    public required string CustomerId { get; init; }

    /// <summary>When it happened at the source; decides where the event counts.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>When Ingestion committed it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The public envelope type of this event.</summary>
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>Basics of the customer, typically from the sales handover.</summary>
public sealed record CustomerProfiled : CustomerEvent
{
    public const string TypeName = "customer.profiled";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string Name { get; init; }
    public string? Industry { get; init; }
    public string? Region { get; init; }
    public string? Owner { get; init; }
    public bool? KeyAccount { get; init; }
    public int? Locations { get; init; }
    public bool? HandoverComplete { get; init; }
}

/// <summary>A user used a feature of the product.</summary>
public sealed record UsageRecorded : CustomerEvent
{
    public const string TypeName = "usage.recorded";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string Feature { get; init; }
    public string? UserId { get; init; }
    public UserRole? Role { get; init; }
    public int Quantity { get; init; } = 1;
}

/// <summary>Seat counts: paid, free, and assigned to named users.</summary>
public sealed record SeatsReported : CustomerEvent
{
    public const string TypeName = "seats.reported";
    [JsonIgnore]
    public override string Type => TypeName;
    public required int Paid { get; init; }
    public required int Free { get; init; }
    public required int Assigned { get; init; }
}

/// <summary>A support ticket was opened.</summary>
public sealed record TicketOpened : CustomerEvent
{
    public const string TypeName = "ticket.opened";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string TicketId { get; init; }
    public required TicketCategory Category { get; init; }
    public required TicketPriority Priority { get; init; }
}

/// <summary>Support gave the first response to a ticket.</summary>
public sealed record TicketResponded : CustomerEvent
{
    public const string TypeName = "ticket.responded";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string TicketId { get; init; }
}

/// <summary>A ticket was resolved.</summary>
public sealed record TicketResolved : CustomerEvent
{
    public const string TypeName = "ticket.resolved";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string TicketId { get; init; }
}

/// <summary>A resolved ticket was reopened.</summary>
public sealed record TicketReopened : CustomerEvent
{
    public const string TypeName = "ticket.reopened";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string TicketId { get; init; }
}

/// <summary>A survey answer: NPS 0–10, CSAT 1–5, CES 1–7.</summary>
public sealed record SurveyAnswered : CustomerEvent
{
    public const string TypeName = "survey.answered";
    [JsonIgnore]
    public override string Type => TypeName;
    public required SurveyKind Survey { get; init; }
    public required int Score { get; init; }
    public string? UserId { get; init; }
}

/// <summary>A contract was signed.</summary>
public sealed record ContractSigned : CustomerEvent
{
    public const string TypeName = "contract.signed";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string ContractId { get; init; }
    public required decimal Arr { get; init; }
    public required string Currency { get; init; }
    public required int Seats { get; init; }
    public required DateOnly StartsOn { get; init; }
    public required DateOnly EndsOn { get; init; }
    public IReadOnlyList<string>? Products { get; init; }
}

/// <summary>A contract's value or seats changed mid-term.</summary>
public sealed record ContractAmended : CustomerEvent
{
    public const string TypeName = "contract.amended";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string ContractId { get; init; }
    public required decimal Arr { get; init; }
    public required int Seats { get; init; }
    public required DateOnly EffectiveOn { get; init; }
}

/// <summary>A contract was renewed to a new end date.</summary>
public sealed record ContractRenewed : CustomerEvent
{
    public const string TypeName = "contract.renewed";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string ContractId { get; init; }
    public required decimal Arr { get; init; }
    public required DateOnly EndsOn { get; init; }
    public int? Seats { get; init; }
}

/// <summary>A contract was cancelled (the customer churns when it takes effect).</summary>
public sealed record ContractCancelled : CustomerEvent
{
    public const string TypeName = "contract.cancelled";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string ContractId { get; init; }
    public required DateOnly EffectiveOn { get; init; }
    public string? Reason { get; init; }
    public string? Competitor { get; init; }
}

/// <summary>An invoice was issued.</summary>
public sealed record InvoiceIssued : CustomerEvent
{
    public const string TypeName = "invoice.issued";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string InvoiceId { get; init; }
    public required decimal Amount { get; init; }
    public required DateOnly DueOn { get; init; }
}

/// <summary>An invoice was paid.</summary>
public sealed record InvoicePaid : CustomerEvent
{
    public const string TypeName = "invoice.paid";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string InvoiceId { get; init; }
    public required DateOnly PaidOn { get; init; }
}

/// <summary>A key stakeholder joined or left.</summary>
public sealed record StakeholderChanged : CustomerEvent
{
    public const string TypeName = "stakeholder.changed";
    [JsonIgnore]
    public override string Type => TypeName;
    public required StakeholderRole Role { get; init; }
    public required StakeholderChange Change { get; init; }
    public string? PersonId { get; init; }
}

/// <summary>An onboarding or delivery milestone was reached.</summary>
public sealed record MilestoneReached : CustomerEvent
{
    public const string TypeName = "milestone.reached";
    [JsonIgnore]
    public override string Type => TypeName;
    public required Milestone Milestone { get; init; }
}

/// <summary>The customer referred another company.</summary>
public sealed record ReferralMade : CustomerEvent
{
    public const string TypeName = "referral.made";
    [JsonIgnore]
    public override string Type => TypeName;
    public string? ReferredCompany { get; init; }
}

/// <summary>Touch-point feedback for the activation index: sentiment −20, −10, −5, 5, 10 or 20.</summary>
public sealed record FeedbackRecorded : CustomerEvent
{
    public const string TypeName = "feedback.recorded";
    [JsonIgnore]
    public override string Type => TypeName;
    public required string Touchpoint { get; init; }
    public required int Sentiment { get; init; }
}
