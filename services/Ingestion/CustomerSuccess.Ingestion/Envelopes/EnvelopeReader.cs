using System.Globalization;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.Ingestion.Envelopes;

/// <summary>Reads and validates one public event envelope into a typed integration event.</summary>
public static class EnvelopeReader
{
    private const int MaxQuantity = 1_000_000;
    private const int MaxSeats = 10_000_000;
    private const int MaxLocations = 1_000_000;
    private const int MaxProducts = 64;
    private const int MaxProductLength = 128;
    private const decimal MaxMoney = 1_000_000_000_000m;

    private static readonly DateTimeOffset EarliestOccurredAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly int[] Sentiments = [-20, -10, -5, 5, 10, 20];

    /// <summary>The envelope fields every type shares, already validated.</summary>
    private readonly record struct Header(string EventId, string CustomerId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt);

    /// <summary>One reader of <c>data</c> per public type, in the order of the envelope table in docs/architecture.md.</summary>
    private static readonly Dictionary<string, Func<FieldReader, Header, CustomerEvent>> DataReaders = new(StringComparer.Ordinal)
    {
        [CustomerProfiled.TypeName] = (d, h) => new CustomerProfiled
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            Name = d.RequiredText("name"),
            Industry = d.OptionalText("industry"),
            Region = d.OptionalText("region"),
            Owner = d.OptionalText("owner"),
            KeyAccount = d.OptionalBool("keyAccount"),
            Locations = d.OptionalInt("locations", 0, MaxLocations),
            HandoverComplete = d.OptionalBool("handoverComplete"),
        },
        [UsageRecorded.TypeName] = (d, h) => new UsageRecorded
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            Feature = d.RequiredFeature("feature"),
            UserId = d.OptionalId("userId"),
            Role = d.OptionalEnum<UserRole>("role"),
            Quantity = d.OptionalInt("quantity", 1, MaxQuantity) ?? 1,
        },
        [SeatsReported.TypeName] = (d, h) => new SeatsReported
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            Paid = d.RequiredInt("paid", 0, MaxSeats),
            Free = d.RequiredInt("free", 0, MaxSeats),
            Assigned = d.RequiredInt("assigned", 0, MaxSeats),
        },
        [TicketOpened.TypeName] = (d, h) => new TicketOpened
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            TicketId = d.RequiredId("ticketId"),
            Category = d.RequiredEnum<TicketCategory>("category"),
            Priority = d.RequiredEnum<TicketPriority>("priority"),
        },
        [TicketResponded.TypeName] = (d, h) => new TicketResponded
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            TicketId = d.RequiredId("ticketId"),
        },
        [TicketResolved.TypeName] = (d, h) => new TicketResolved
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            TicketId = d.RequiredId("ticketId"),
        },
        [TicketReopened.TypeName] = (d, h) => new TicketReopened
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            TicketId = d.RequiredId("ticketId"),
        },
        [SurveyAnswered.TypeName] = ReadSurveyAnswered,
        [ContractSigned.TypeName] = ReadContractSigned,
        [ContractAmended.TypeName] = (d, h) => new ContractAmended
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            ContractId = d.RequiredId("contractId"),
            Arr = d.RequiredDecimal("arr", 0m, MaxMoney),
            Seats = d.RequiredInt("seats", 0, MaxSeats),
            EffectiveOn = d.RequiredDate("effectiveOn"),
        },
        [ContractRenewed.TypeName] = (d, h) => new ContractRenewed
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            ContractId = d.RequiredId("contractId"),
            Arr = d.RequiredDecimal("arr", 0m, MaxMoney),
            EndsOn = d.RequiredDate("endsOn"),
            Seats = d.OptionalInt("seats", 0, MaxSeats),
        },
        [ContractCancelled.TypeName] = (d, h) => new ContractCancelled
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            ContractId = d.RequiredId("contractId"),
            EffectiveOn = d.RequiredDate("effectiveOn"),
            Reason = d.OptionalText("reason"),
            Competitor = d.OptionalText("competitor"),
        },
        [InvoiceIssued.TypeName] = (d, h) => new InvoiceIssued
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            InvoiceId = d.RequiredId("invoiceId"),
            Amount = d.RequiredDecimal("amount", 0m, MaxMoney),
            DueOn = d.RequiredDate("dueOn"),
        },
        [InvoicePaid.TypeName] = (d, h) => new InvoicePaid
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            InvoiceId = d.RequiredId("invoiceId"),
            PaidOn = d.RequiredDate("paidOn"),
        },
        [StakeholderChanged.TypeName] = (d, h) => new StakeholderChanged
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            Role = d.RequiredEnum<StakeholderRole>("role"),
            Change = d.RequiredEnum<StakeholderChange>("change"),
            PersonId = d.OptionalId("personId"),
        },
        [MilestoneReached.TypeName] = (d, h) => new MilestoneReached
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            Milestone = d.RequiredEnum<Milestone>("milestone"),
        },
        [ReferralMade.TypeName] = (d, h) => new ReferralMade
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            ReferredCompany = d.OptionalText("referredCompany"),
        },
        [FeedbackRecorded.TypeName] = (d, h) => new FeedbackRecorded
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            Touchpoint = d.RequiredText("touchpoint"),
            Sentiment = d.RequiredIntOneOf("sentiment", Sentiments),
        },
    };

    /// <summary>The public envelope types this reader accepts.</summary>
    internal static IReadOnlyCollection<string> KnownTypes => DataReaders.Keys;

    /// <summary>
    /// Validates one envelope (<c>id</c>, <c>type</c>, <c>customerId</c>, <c>occurredAt</c>, <c>data</c>) and
    /// its <c>data</c> against the rules of its type, and returns the typed event.
    /// </summary>
    /// <param name="envelope">One envelope of the request; a JSON object is expected.</param>
    /// <param name="prefix">
    /// Prefix of every error key: <c>""</c> for a lone envelope, <c>"[3]."</c> for item 3 of an array. Keys are
    /// <c>prefix + field</c> (<c>[3].occurredAt</c>, <c>[3].data.score</c>, <c>[3].data.products[0]</c>); a problem
    /// with the envelope as a whole is keyed by the prefix without its dot (<c>[3]</c>, or <c>""</c> for a lone envelope).
    /// </param>
    /// <param name="receivedAt">The instant of receipt; becomes <see cref="CustomerEvent.ReceivedAt"/> and bounds <c>occurredAt</c>.</param>
    /// <param name="options">Supplies <see cref="IngestionOptions.MaxClockSkew"/>.</param>
    /// <param name="errors">Receives one entry per problem found (every problem, not only the first).</param>
    /// <returns>The event, or null when at least one problem was added to <paramref name="errors"/>.</returns>
    /// <remarks>Never throws because of the JSON it is given; it only adds errors.</remarks>
    public static CustomerEvent? Read(JsonElement envelope, string prefix, DateTimeOffset receivedAt, IngestionOptions options, IDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);

        var problems = new EnvelopeProblems(errors);
        if (envelope.ValueKind != JsonValueKind.Object)
        {
            problems.Add(
                FieldReader.RootKey(prefix),
                $"An event must be a JSON object with id, type, customerId, occurredAt and data, but was {FieldReader.Describe(envelope)}.");
            return null;
        }

        var fields = new FieldReader(envelope, prefix, "the event envelope", problems);
        var id = fields.RequiredId("id");
        var type = fields.RequiredChoice("type", KnownTypes, "the known event types");
        var customerId = fields.RequiredId("customerId");
        var occurredAt = fields.RequiredInstant("occurredAt");
        if (fields.IsValid("occurredAt"))
        {
            CheckOccurredAt(fields, occurredAt, receivedAt, options.MaxClockSkew);
        }

        var data = fields.RequiredObject("data", fields.IsValid("type") ? $"{type} data" : "data");
        fields.ReportUnknown();

        CustomerEvent? read = null;
        if (data is not null && DataReaders.TryGetValue(type, out var readData))
        {
            read = readData(data, new Header(id, customerId, occurredAt, receivedAt));
            data.ReportUnknown();
        }

        return problems.Count == 0 ? read : null;
    }

    private static void CheckOccurredAt(FieldReader fields, DateTimeOffset occurredAt, DateTimeOffset receivedAt, TimeSpan maxClockSkew)
    {
        // Subtracting instants cannot overflow, unlike receivedAt + skew near DateTimeOffset.MaxValue.
        if (occurredAt - receivedAt > maxClockSkew)
        {
            fields.Reject("occurredAt", string.Create(
                CultureInfo.InvariantCulture,
                $"must not lie more than {maxClockSkew:c} after the time of receipt ({receivedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})."));
        }
        else if (occurredAt < EarliestOccurredAt)
        {
            fields.Reject("occurredAt", "must not be before 2000-01-01T00:00:00Z.");
        }
    }

    private static SurveyAnswered ReadSurveyAnswered(FieldReader d, Header h)
    {
        var survey = d.RequiredEnum<SurveyKind>("survey");
        var (min, max, note) = !d.IsValid("survey") ? (0, 10, "")
            : survey switch
            {
                SurveyKind.Csat => (1, 5, " for a csat survey"),
                SurveyKind.Ces => (1, 7, " for a ces survey"),
                _ => (0, 10, " for an nps survey"),
            };
        return new SurveyAnswered
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            Survey = survey,
            Score = d.RequiredInt("score", min, max, note),
            UserId = d.OptionalId("userId"),
        };
    }

    private static ContractSigned ReadContractSigned(FieldReader d, Header h)
    {
        var signed = new ContractSigned
        {
            EventId = h.EventId, CustomerId = h.CustomerId, OccurredAt = h.OccurredAt, ReceivedAt = h.ReceivedAt,
            ContractId = d.RequiredId("contractId"),
            Arr = d.RequiredDecimal("arr", 0m, MaxMoney),
            Currency = d.RequiredCurrency("currency"),
            Seats = d.RequiredInt("seats", 0, MaxSeats),
            StartsOn = d.RequiredDate("startsOn"),
            EndsOn = d.RequiredDate("endsOn"),
            Products = d.OptionalTextList("products", MaxProducts, MaxProductLength),
        };
        if (d.IsValid("startsOn") && d.IsValid("endsOn") && signed.EndsOn <= signed.StartsOn)
        {
            d.Reject("endsOn", "must be after startsOn.");
        }

        return signed;
    }
}
