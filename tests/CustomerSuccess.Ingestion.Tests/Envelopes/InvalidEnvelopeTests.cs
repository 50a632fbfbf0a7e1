using System.Text.Json;
using static CustomerSuccess.Ingestion.Tests.Envelopes.EnvelopeExamples;

namespace CustomerSuccess.Ingestion.Tests.Envelopes;

public sealed class InvalidEnvelopeTests
{
    private static readonly string TooLongId = new('a', 129);
    private static readonly string TooLongText = new('a', 257);
    private static readonly string TooManyProducts = $"[{string.Join(",", Enumerable.Repeat("\"Core\"", 65))}]";

    /// <summary>For every type and field: missing, null, a value of the wrong JSON kind, and an unknown field next to it.</summary>
    public static TheoryData<string, string, string, string> ShapeProblems()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var field in new[] { "id", "type", "customerId", "occurredAt", "data" })
        {
            rows.Add("usage.recorded", field, Remove, field);
            rows.Add("usage.recorded", field, "null", field);
            rows.Add("usage.recorded", field, field == "data" ? "[]" : "42", field);
        }

        rows.Add("usage.recorded", "unexpected", "1", "unexpected");
        foreach (var type in Types)
        {
            using var data = JsonDocument.Parse(ValidData[type]);
            foreach (var property in data.RootElement.EnumerateObject())
            {
                var path = $"data.{property.Name}";
                if (!IsOptional(type, property.Name))
                {
                    rows.Add(type, path, Remove, path);
                    rows.Add(type, path, "null", path);
                }

                rows.Add(type, path, WrongKindFor(property.Value), path);
            }

            rows.Add(type, "data.unexpected", "\"x\"", "data.unexpected");
            rows.Add(type, "data", "\"x\"", "data");
        }

        return rows;
    }

    /// <summary>Values of the right JSON kind that break a rule of the field.</summary>
    public static TheoryData<string, string, string, string> RuleProblems() => new()
    {
        // Envelope ids: 1–128 of [A-Za-z0-9._:@/+=-].
        { "usage.recorded", "id", "\"\"", "id" },
        { "usage.recorded", "id", $"\"{TooLongId}\"", "id" },
        { "usage.recorded", "id", "\"evt 1\"", "id" },
        { "usage.recorded", "id", "\"evt\\n1\"", "id" },
        { "usage.recorded", "id", "\"évt-1\"", "id" },
        { "usage.recorded", "id", "\" evt-1\"", "id" },
        { "usage.recorded", "customerId", "\"\"", "customerId" },
        { "usage.recorded", "customerId", "\"acme corp\"", "customerId" },
        { "usage.recorded", "customerId", $"\"{TooLongId}\"", "customerId" },
        { "usage.recorded", "customerId", "\"acme#1\"", "customerId" },

        // Types: exactly one of the 18, case-sensitive.
        { "usage.recorded", "type", "\"usage.Recorded\"", "type" },
        { "usage.recorded", "type", "\"usage.deleted\"", "type" },
        { "usage.recorded", "type", "\"\"", "type" },

        // occurredAt: an instant with offset, not in the future beyond the skew, not before 2000.
        { "usage.recorded", "occurredAt", "\"2026-11-20T10:15:00\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T10:15:00.123\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T10:15Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20 10:15:00Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20t10:15:00z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-02-30T10:15:00Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T24:00:00Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T23:59:60Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T10:15:00+15:00\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T10:15:00+0100\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"20 Nov 2026 10:15:00 GMT\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T10:15:00Z \"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"２０２６-11-20T10:15:00Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "1763633700", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T12:05:01Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"2026-11-20T13:05:01+01:00\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"9999-12-31T23:59:59Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"1999-12-31T23:59:59Z\"", "occurredAt" },
        { "usage.recorded", "occurredAt", "\"0001-01-01T00:00:00+14:00\"", "occurredAt" },

        // Envelope and data fields are case-sensitive; there are no extra ones.
        { "usage.recorded", "Type", "\"usage.recorded\"", "Type" },
        { "usage.recorded", "eventId", "\"evt-2\"", "eventId" },
        { "usage.recorded", "data.Feature", "\"message.sent\"", "data.Feature" },

        // customer.profiled
        { "customer.profiled", "data.name", "\"\"", "data.name" },
        { "customer.profiled", "data.name", "\"   \"", "data.name" },
        { "customer.profiled", "data.name", $"\"{TooLongText}\"", "data.name" },
        { "customer.profiled", "data.name", "\"Acme\\u0000Corp\"", "data.name" },
        { "customer.profiled", "data.industry", "\"Manu\\nfacturing\"", "data.industry" },
        { "customer.profiled", "data.region", "\"\"", "data.region" },
        { "customer.profiled", "data.owner", $"\"{TooLongText}\"", "data.owner" },
        { "customer.profiled", "data.keyAccount", "\"yes\"", "data.keyAccount" },
        { "customer.profiled", "data.keyAccount", "1", "data.keyAccount" },
        { "customer.profiled", "data.locations", "-1", "data.locations" },
        { "customer.profiled", "data.locations", "2.5", "data.locations" },
        { "customer.profiled", "data.handoverComplete", "\"false\"", "data.handoverComplete" },

        // usage.recorded
        { "usage.recorded", "data.feature", "\"\"", "data.feature" },
        { "usage.recorded", "data.feature", "\"message sent\"", "data.feature" },
        { "usage.recorded", "data.feature", "\"message.sent!\"", "data.feature" },
        { "usage.recorded", "data.feature", $"\"{TooLongId}\"", "data.feature" },
        { "usage.recorded", "data.userId", "\"user 42\"", "data.userId" },
        { "usage.recorded", "data.userId", "\"\"", "data.userId" },
        { "usage.recorded", "data.role", "\"Operator\"", "data.role" },
        { "usage.recorded", "data.role", "\"ceo\"", "data.role" },
        { "usage.recorded", "data.quantity", "0", "data.quantity" },
        { "usage.recorded", "data.quantity", "-1", "data.quantity" },
        { "usage.recorded", "data.quantity", "1.5", "data.quantity" },
        { "usage.recorded", "data.quantity", "\"1\"", "data.quantity" },
        { "usage.recorded", "data.quantity", "1000001", "data.quantity" },
        { "usage.recorded", "data.quantity", "2147483648", "data.quantity" },
        { "usage.recorded", "data.quantity", "1e30", "data.quantity" },
        { "usage.recorded", "data.quantity", "1e400", "data.quantity" },
        { "usage.recorded", "data.quantity", "123456789012345678901234567890123456789", "data.quantity" },

        // seats.reported
        { "seats.reported", "data.paid", "-1", "data.paid" },
        { "seats.reported", "data.free", "0.5", "data.free" },
        { "seats.reported", "data.assigned", "\"48\"", "data.assigned" },
        { "seats.reported", "data.assigned", "99999999999", "data.assigned" },
        { "seats.reported", "data.assigned", "1e-400", "data.assigned" },
        { "seats.reported", "data.assigned", "0.00000000000000000000000000000001", "data.assigned" },

        // ticket.*
        { "ticket.opened", "data.ticketId", "\"T 1001\"", "data.ticketId" },
        { "ticket.opened", "data.category", "\"bug\"", "data.category" },
        { "ticket.opened", "data.category", "\"Incident\"", "data.category" },
        { "ticket.opened", "data.priority", "\"URGENT\"", "data.priority" },
        { "ticket.opened", "data.priority", "1", "data.priority" },
        { "ticket.responded", "data.ticketId", "\"\"", "data.ticketId" },
        { "ticket.resolved", "data.ticketId", $"\"{TooLongId}\"", "data.ticketId" },
        { "ticket.reopened", "data.ticketId", "\"T\\t1\"", "data.ticketId" },

        // survey.answered: the score range depends on the survey kind.
        { "survey.answered", "data.survey", "\"NPS\"", "data.survey" },
        { "survey.answered", "data.survey", "\"ces2\"", "data.survey" },
        { "survey.answered", "data.score", "11", "data.score" },
        { "survey.answered", "data.score", "-1", "data.score" },
        { "survey.answered", "data.score", "9.5", "data.score" },
        { "survey.answered", "data.userId", "\"user/42 \"", "data.userId" },

        // contract.signed
        { "contract.signed", "data.contractId", "\"C 1\"", "data.contractId" },
        { "contract.signed", "data.arr", "-0.01", "data.arr" },
        { "contract.signed", "data.arr", "\"120000\"", "data.arr" },
        { "contract.signed", "data.arr", "1000000000000.01", "data.arr" },
        { "contract.signed", "data.arr", "1e400", "data.arr" },
        { "contract.signed", "data.currency", "\"eur\"", "data.currency" },
        { "contract.signed", "data.currency", "\"EURO\"", "data.currency" },
        { "contract.signed", "data.currency", "\"E1R\"", "data.currency" },
        { "contract.signed", "data.currency", "\"€\"", "data.currency" },
        { "contract.signed", "data.seats", "-5", "data.seats" },
        { "contract.signed", "data.startsOn", "\"2026-13-01\"", "data.startsOn" },
        { "contract.signed", "data.startsOn", "\"2026/01/01\"", "data.startsOn" },
        { "contract.signed", "data.startsOn", "\"2026-1-1\"", "data.startsOn" },
        { "contract.signed", "data.startsOn", "\"2026-01-01T00:00:00Z\"", "data.startsOn" },
        { "contract.signed", "data.startsOn", "\"01/01/2026\"", "data.startsOn" },
        { "contract.signed", "data.endsOn", "\"2026-01-01\"", "data.endsOn" },
        { "contract.signed", "data.endsOn", "\"2025-12-31\"", "data.endsOn" },
        { "contract.signed", "data.products", "[]", "data.products" },
        { "contract.signed", "data.products", "\"Core\"", "data.products" },
        { "contract.signed", "data.products", TooManyProducts, "data.products" },
        { "contract.signed", "data.products", "[\"Core\", 1]", "data.products[1]" },
        { "contract.signed", "data.products", "[\"\"]", "data.products[0]" },
        { "contract.signed", "data.products", $"[\"Core\", \"{TooLongId}\"]", "data.products[1]" },

        // contract.amended / renewed / cancelled
        { "contract.amended", "data.arr", "-1", "data.arr" },
        { "contract.amended", "data.seats", "1.5", "data.seats" },
        { "contract.amended", "data.effectiveOn", "\"2026-07-32\"", "data.effectiveOn" },
        { "contract.renewed", "data.seats", "-1", "data.seats" },
        { "contract.renewed", "data.endsOn", "\"1899-12-31\"", "data.endsOn" },
        { "contract.renewed", "data.endsOn", "\"3000-01-01\"", "data.endsOn" },
        { "contract.cancelled", "data.effectiveOn", "\"tomorrow\"", "data.effectiveOn" },
        { "contract.cancelled", "data.reason", "\"\"", "data.reason" },
        { "contract.cancelled", "data.reason", "\"too\\texpensive\"", "data.reason" },
        { "contract.cancelled", "data.competitor", $"\"{TooLongText}\"", "data.competitor" },

        // invoice.*
        { "invoice.issued", "data.invoiceId", "\"INV 7\"", "data.invoiceId" },
        { "invoice.issued", "data.amount", "-0.01", "data.amount" },
        { "invoice.issued", "data.dueOn", "\"2026-02-29\"", "data.dueOn" },
        { "invoice.paid", "data.paidOn", "\"2026-12-10T00:00:00Z\"", "data.paidOn" },
        { "invoice.paid", "data.dueOn", "\"2026-12-15\"", "data.dueOn" },

        // stakeholder.changed / milestone.reached / referral.made / feedback.recorded
        { "stakeholder.changed", "data.role", "\"decision-maker\"", "data.role" },
        { "stakeholder.changed", "data.role", "\"operator\"", "data.role" },
        { "stakeholder.changed", "data.change", "\"JOINED\"", "data.change" },
        { "stakeholder.changed", "data.personId", "\"person 9\"", "data.personId" },
        { "milestone.reached", "data.milestone", "\"done\"", "data.milestone" },
        { "milestone.reached", "data.milestone", "\"first-value\"", "data.milestone" },
        { "referral.made", "data.referredCompany", "\"\"", "data.referredCompany" },
        { "referral.made", "data.referredCompany", "3", "data.referredCompany" },
        { "referral.made", "data.company", "\"Initech\"", "data.company" },
        { "feedback.recorded", "data.touchpoint", "\"\"", "data.touchpoint" },
        { "feedback.recorded", "data.sentiment", "0", "data.sentiment" },
        { "feedback.recorded", "data.sentiment", "15", "data.sentiment" },
        { "feedback.recorded", "data.sentiment", "-5.5", "data.sentiment" },
        { "feedback.recorded", "data.sentiment", "\"5\"", "data.sentiment" },
    };

    [Theory]
    [MemberData(nameof(ShapeProblems))]
    [MemberData(nameof(RuleProblems))]
    public void A_bad_field_is_reported_under_its_exact_key_and_no_event_is_returned(string type, string path, string value, string key)
    {
        var reading = Read(Envelope(type).With(path, value));

        Assert.Null(reading.Event);
        Assert.Equal([Prefix + key], reading.Keys);
        Assert.All(reading.Errors.Values.SelectMany(messages => messages), message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Theory]
    [InlineData("csat", 0)]
    [InlineData("csat", 6)]
    [InlineData("ces", 0)]
    [InlineData("ces", 8)]
    [InlineData("nps", 11)]
    public void A_survey_score_outside_its_kinds_range_names_the_range(string survey, int score)
    {
        var reading = Read(Envelope("survey.answered").With("data.survey", $"\"{survey}\"").With("data.score", $"{score}"));

        Assert.Null(reading.Event);
        var message = Assert.Single(reading.Errors[Prefix + "data.score"]);
        Assert.Contains($"for a{(survey == "nps" ? "n" : "")} {survey} survey", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_one_envelope_is_reported_not_just_the_first()
    {
        var envelope = Envelope("survey.answered")
            .With("id", "\"evt 1\"")
            .With("customerId", Remove)
            .With("occurredAt", "\"2026-11-20T10:15:00\"")
            .With("source", "\"crm\"")
            .With("data.survey", "\"csat\"")
            .With("data.score", "9")
            .With("data.userId", "7")
            .With("data.comment", "\"great\"");

        var reading = Read(envelope);

        Assert.Null(reading.Event);
        Assert.Equal(
            ["[2].customerId", "[2].data.comment", "[2].data.score", "[2].data.userId", "[2].id", "[2].occurredAt", "[2].source"],
            reading.Keys);
    }

    [Fact]
    public void Data_is_not_checked_against_a_type_that_is_unknown_but_its_problems_elsewhere_are_reported()
    {
        var reading = Read(Envelope("usage.recorded").With("type", "\"usage.recoded\"").With("id", Remove));

        Assert.Equal(["[2].id", "[2].type"], reading.Keys);
    }

    [Fact]
    public void An_unknown_type_is_answered_with_the_list_of_known_types()
    {
        var reading = Read(Envelope("usage.recorded").With("type", "\"usage.recoded\""));

        var message = Assert.Single(reading.Errors["[2].type"]);
        Assert.All(Types, type => Assert.Contains(type, message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_field_is_answered_with_the_expected_ones_and_a_case_slip_with_the_right_name()
    {
        var reading = Read(Envelope("seats.reported").With("data.unused", "0").With("data.Paid", "1"));

        Assert.Contains("paid, free, assigned", Assert.Single(reading.Errors["[2].data.unused"]), StringComparison.Ordinal);
        Assert.Contains("did you mean 'paid'", Assert.Single(reading.Errors["[2].data.Paid"]), StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_that_is_not_an_object_is_reported_under_its_index()
    {
        var reading = Read("[1, 2]", "[3].");

        Assert.Null(reading.Event);
        Assert.Equal(["[3]"], reading.Keys);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"usage.recorded\"")]
    [InlineData("null")]
    [InlineData("[]")]
    public void A_lone_envelope_that_is_not_an_object_is_reported_under_the_empty_key(string json)
    {
        var reading = Read(json, "");

        Assert.Null(reading.Event);
        Assert.Equal([""], reading.Keys);
    }

    [Fact]
    public void A_lone_envelope_has_unprefixed_keys()
    {
        var reading = Read(Envelope("survey.answered").With("occurredAt", "\"2026-11-20\"").With("data.score", "11"), "");

        Assert.Equal(["data.score", "occurredAt"], reading.Keys);
    }

    [Fact]
    public void A_field_sent_twice_is_ambiguous_and_rejected()
    {
        var json = """{"id":"evt-1","id":"evt-2","type":"milestone.reached","customerId":"acme","occurredAt":"2026-11-20T10:15:00Z","data":{"milestone":"trained","milestone":"delivered"}}""";

        var reading = Read(json);

        Assert.Equal(["[2].data.milestone", "[2].id"], reading.Keys);
    }

    [Fact]
    public void A_very_long_unknown_field_name_is_shortened_in_its_key()
    {
        var name = new string('x', 10_000);

        var reading = Read(Envelope("referral.made").With($"data.{name}", "1"));

        Assert.Equal([$"[2].data.{new string('x', 64)}…"], reading.Keys);
    }

    [Fact]
    public void Text_that_is_not_valid_unicode_is_reported_not_thrown()
    {
        var json = Envelope("customer.profiled").ToJsonString().Replace("Acme Corp", "\\ud800Acme", StringComparison.Ordinal);

        var reading = Read(json);

        Assert.Equal(["[2].data.name"], reading.Keys);
    }

    private static string WrongKindFor(JsonElement valid) => valid.ValueKind switch
    {
        JsonValueKind.String => "42",
        JsonValueKind.Number => "\"3\"",
        JsonValueKind.True or JsonValueKind.False => "\"true\"",
        JsonValueKind.Array => "{}",
        _ => "[]",
    };
}
