using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Ingestion.Envelopes;
using static CustomerSuccess.Ingestion.Tests.Envelopes.EnvelopeExamples;

namespace CustomerSuccess.Ingestion.Tests.Envelopes;

public sealed class ValidEnvelopeTests
{
    private const string EventId = "evt-1";
    private const string CustomerId = "acme-corp";

    private static readonly Dictionary<string, CustomerEvent> Expected = new(StringComparer.Ordinal)
    {
        ["customer.profiled"] = new CustomerProfiled
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            Name = "Acme Corp", Industry = "Manufacturing", Region = "EMEA", Owner = "jane.doe@vendor.example",
            KeyAccount = true, Locations = 12, HandoverComplete = false,
        },
        ["usage.recorded"] = new UsageRecorded
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            Feature = "message.sent", UserId = "user-42", Role = UserRole.Operator, Quantity = 3,
        },
        ["seats.reported"] = new SeatsReported
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            Paid = 50, Free = 5, Assigned = 48,
        },
        ["ticket.opened"] = new TicketOpened
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            TicketId = "T-1001", Category = TicketCategory.Incident, Priority = TicketPriority.Urgent,
        },
        ["ticket.responded"] = new TicketResponded
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt, TicketId = "T-1001",
        },
        ["ticket.resolved"] = new TicketResolved
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt, TicketId = "T-1001",
        },
        ["ticket.reopened"] = new TicketReopened
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt, TicketId = "T-1001",
        },
        ["survey.answered"] = new SurveyAnswered
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            Survey = SurveyKind.Nps, Score = 9, UserId = "user-42",
        },
        ["contract.signed"] = new ContractSigned
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            ContractId = "C-2026-001", Arr = 120000.50m, Currency = "EUR", Seats = 50,
            StartsOn = new DateOnly(2026, 1, 1), EndsOn = new DateOnly(2026, 12, 31), Products = ["Core", "Analytics add-on"],
        },
        ["contract.amended"] = new ContractAmended
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            ContractId = "C-2026-001", Arr = 150000m, Seats = 60, EffectiveOn = new DateOnly(2026, 7, 1),
        },
        ["contract.renewed"] = new ContractRenewed
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            ContractId = "C-2026-001", Arr = 160000m, EndsOn = new DateOnly(2027, 12, 31), Seats = 70,
        },
        ["contract.cancelled"] = new ContractCancelled
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            ContractId = "C-2026-001", EffectiveOn = new DateOnly(2026, 12, 31), Reason = "Budget cuts", Competitor = "Globex",
        },
        ["invoice.issued"] = new InvoiceIssued
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            InvoiceId = "INV-7", Amount = 30000.25m, DueOn = new DateOnly(2026, 12, 15),
        },
        ["invoice.paid"] = new InvoicePaid
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            InvoiceId = "INV-7", PaidOn = new DateOnly(2026, 12, 10),
        },
        ["stakeholder.changed"] = new StakeholderChanged
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            Role = StakeholderRole.DecisionMaker, Change = StakeholderChange.Left, PersonId = "person-9",
        },
        ["milestone.reached"] = new MilestoneReached
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            Milestone = Milestone.FirstValue,
        },
        ["referral.made"] = new ReferralMade
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            ReferredCompany = "Initech",
        },
        ["feedback.recorded"] = new FeedbackRecorded
        {
            EventId = EventId, CustomerId = CustomerId, OccurredAt = OccurredAt, ReceivedAt = ReceivedAt,
            Touchpoint = "onboarding call", Sentiment = -5,
        },
    };

    public static TheoryData<string> AllTypes => [.. Types];

    [Fact]
    public void The_reader_knows_exactly_the_types_of_the_contract()
    {
        var contractTypes = typeof(CustomerEvent).GetCustomAttributes<JsonDerivedTypeAttribute>()
            .Select(derived => (string)derived.TypeDiscriminator!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(contractTypes, EnvelopeReader.KnownTypes.Order(StringComparer.Ordinal));
        Assert.Equal(contractTypes, Types.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Every_type_reads_its_valid_example_into_the_typed_event_with_all_values(string type)
    {
        var reading = Read(Envelope(type));

        Assert.Empty(reading.Errors);
        Assert.NotNull(reading.Event);
        Assert.IsType(Expected[type].GetType(), reading.Event);
        Assert.Equal(type, reading.Event.Type);
        Assert.Equal(Json(Expected[type]), Json(reading.Event));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Optional_data_fields_may_be_left_out(string type)
    {
        var envelope = Envelope(type);
        foreach (var field in OptionalFields.GetValueOrDefault(type, []))
        {
            envelope.With($"data.{field}", Remove);
        }

        var reading = Read(envelope);

        Assert.True(reading.Event is not null, reading.Describe());
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Optional_data_fields_may_be_null_as_some_serializers_write_them(string type)
    {
        var envelope = Envelope(type);
        foreach (var field in OptionalFields.GetValueOrDefault(type, []))
        {
            envelope.With($"data.{field}", "null");
        }

        var reading = Read(envelope);

        Assert.True(reading.Event is not null, reading.Describe());
    }

    [Fact]
    public void Quantity_defaults_to_one()
    {
        var reading = Read(Envelope("usage.recorded").With("data.quantity", Remove));

        Assert.Equal(1, Assert.IsType<UsageRecorded>(reading.Event).Quantity);
    }

    [Fact]
    public void A_referral_may_carry_an_empty_data_object()
    {
        var reading = Read(Envelope("referral.made").With("data", "{}"));

        Assert.Null(Assert.IsType<ReferralMade>(reading.Event).ReferredCompany);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("3.0")]
    [InlineData("3e0")]
    [InlineData("0.3e1")]
    public void An_integer_may_be_written_in_any_integral_JSON_number_form(string quantity)
    {
        var reading = Read(Envelope("usage.recorded").With("data.quantity", quantity));

        Assert.Equal(3, Assert.IsType<UsageRecorded>(reading.Event).Quantity);
    }

    [Theory]
    [InlineData("nps", 0)]
    [InlineData("nps", 10)]
    [InlineData("csat", 1)]
    [InlineData("csat", 5)]
    [InlineData("ces", 1)]
    [InlineData("ces", 7)]
    public void Survey_scores_at_the_ends_of_their_kinds_range_are_accepted(string survey, int score)
    {
        var reading = Read(Envelope("survey.answered").With("data.survey", $"\"{survey}\"").With("data.score", $"{score}"));

        Assert.Equal(score, Assert.IsType<SurveyAnswered>(reading.Event).Score);
    }

    [Theory]
    [InlineData(-20)]
    [InlineData(-10)]
    [InlineData(-5)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(20)]
    public void Every_feedback_sentiment_step_is_accepted(int sentiment)
    {
        var reading = Read(Envelope("feedback.recorded").With("data.sentiment", $"{sentiment}"));

        Assert.Equal(sentiment, Assert.IsType<FeedbackRecorded>(reading.Event).Sentiment);
    }

    [Theory]
    [InlineData("usage.recorded", "role", "executive")]
    [InlineData("usage.recorded", "role", "operator")]
    [InlineData("usage.recorded", "role", "finance")]
    [InlineData("usage.recorded", "role", "admin")]
    [InlineData("usage.recorded", "role", "other")]
    [InlineData("ticket.opened", "category", "incident")]
    [InlineData("ticket.opened", "category", "operational")]
    [InlineData("ticket.opened", "category", "request")]
    [InlineData("ticket.opened", "priority", "urgent")]
    [InlineData("ticket.opened", "priority", "high")]
    [InlineData("ticket.opened", "priority", "normal")]
    [InlineData("ticket.opened", "priority", "low")]
    [InlineData("survey.answered", "survey", "nps")]
    [InlineData("survey.answered", "survey", "csat")]
    [InlineData("survey.answered", "survey", "ces")]
    [InlineData("stakeholder.changed", "role", "champion")]
    [InlineData("stakeholder.changed", "role", "decision_maker")]
    [InlineData("stakeholder.changed", "role", "executive_sponsor")]
    [InlineData("stakeholder.changed", "role", "admin")]
    [InlineData("stakeholder.changed", "change", "joined")]
    [InlineData("stakeholder.changed", "change", "left")]
    [InlineData("milestone.reached", "milestone", "handover_completed")]
    [InlineData("milestone.reached", "milestone", "account_opened")]
    [InlineData("milestone.reached", "milestone", "configured")]
    [InlineData("milestone.reached", "milestone", "trained")]
    [InlineData("milestone.reached", "milestone", "first_value")]
    [InlineData("milestone.reached", "milestone", "delivered")]
    public void Every_enum_wire_name_reads_into_the_member_the_contract_writes_back_under_that_name(string type, string field, string wireName)
    {
        var reading = Read(Envelope(type).With($"data.{field}", $"\"{wireName}\"").With("data.score", type == "survey.answered" ? "1" : Remove));

        Assert.True(reading.Event is not null, reading.Describe());
        using var written = JsonDocument.Parse(Json(reading.Event));
        Assert.Equal(wireName, written.RootElement.GetProperty(char.ToUpperInvariant(field[0]) + field[1..]).GetString());
    }

    [Fact]
    public void OccurredAt_keeps_its_offset_and_nanosecond_fractions_are_cut_to_ticks()
    {
        var reading = Read(Envelope("milestone.reached").With("occurredAt", "\"2026-11-20T11:15:00.123456789+01:00\""));

        var occurredAt = Assert.IsType<MilestoneReached>(reading.Event).OccurredAt;
        Assert.Equal(TimeSpan.FromHours(1), occurredAt.Offset);
        Assert.Equal(OccurredAt.AddTicks(1_234_567), occurredAt);
    }

    [Theory]
    [InlineData("2026-11-20T12:05:00Z")]
    [InlineData("2026-11-20T13:05:00+01:00")]
    [InlineData("2000-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:30:00-01:00")]
    public void OccurredAt_at_the_edges_of_the_allowed_window_is_accepted(string occurredAt)
    {
        var reading = Read(Envelope("milestone.reached").With("occurredAt", $"\"{occurredAt}\""));

        Assert.True(reading.Event is not null, reading.Describe());
    }

    [Theory]
    [InlineData("Zoë's Café")]
    [InlineData("株式会社テスト")]
    [InlineData("Acme 🚀")]
    public void Free_text_may_hold_any_printable_unicode(string name)
    {
        var reading = Read(Envelope("customer.profiled").With("data.name", JsonSerializer.Serialize(name)));

        Assert.Equal(name, Assert.IsType<CustomerProfiled>(reading.Event).Name);
    }

    [Fact]
    public void Ids_may_use_every_allowed_punctuation_mark()
    {
        const string id = "tenant:acme/evt_1.2@src+v=3-a";

        var reading = Read(Envelope("ticket.resolved").With("id", $"\"{id}\"").With("customerId", $"\"{id}\"").With("data.ticketId", $"\"{id}\""));

        Assert.Equal((id, id, id), (reading.Event!.EventId, reading.Event.CustomerId, Assert.IsType<TicketResolved>(reading.Event).TicketId));
    }

    [Fact]
    public void Problems_of_other_envelopes_already_in_the_dictionary_do_not_fail_a_valid_one()
    {
        using var document = JsonDocument.Parse(Envelope("ticket.opened").ToJsonString());
        var errors = new Dictionary<string, List<string>> { ["[0].id"] = ["'id' is required."] };

        var read = EnvelopeReader.Read(document.RootElement, "[1].", ReceivedAt, Options, errors);

        Assert.NotNull(read);
        Assert.Equal(["[0].id"], errors.Keys);
    }

    private static string Json(CustomerEvent e) => JsonSerializer.Serialize(e);
}
