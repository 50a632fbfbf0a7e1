using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Ingestion.Envelopes;

namespace CustomerSuccess.Ingestion.Tests.Envelopes;

/// <summary>A valid envelope of every type, and a way to read (mutated) envelopes as the endpoint does.</summary>
internal static class EnvelopeExamples
{
    public const string Remove = "<remove>";
    public const string Prefix = "[2].";

    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset OccurredAt = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
    public static readonly IngestionOptions Options = new() { MaxClockSkew = TimeSpan.FromMinutes(5) };

    /// <summary>A valid <c>data</c> object for each public type.</summary>
    public static readonly IReadOnlyDictionary<string, string> ValidData = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["customer.profiled"] = """{"name":"Acme Corp","industry":"Manufacturing","region":"EMEA","owner":"jane.doe@vendor.example","keyAccount":true,"locations":12,"handoverComplete":false}""",
        ["usage.recorded"] = """{"feature":"message.sent","userId":"user-42","role":"operator","quantity":3}""",
        ["seats.reported"] = """{"paid":50,"free":5,"assigned":48}""",
        ["ticket.opened"] = """{"ticketId":"T-1001","category":"incident","priority":"urgent"}""",
        ["ticket.responded"] = """{"ticketId":"T-1001"}""",
        ["ticket.resolved"] = """{"ticketId":"T-1001"}""",
        ["ticket.reopened"] = """{"ticketId":"T-1001"}""",
        ["survey.answered"] = """{"survey":"nps","score":9,"userId":"user-42"}""",
        ["contract.signed"] = """{"contractId":"C-2026-001","arr":120000.50,"currency":"EUR","seats":50,"startsOn":"2026-01-01","endsOn":"2026-12-31","products":["Core","Analytics add-on"]}""",
        ["contract.amended"] = """{"contractId":"C-2026-001","arr":150000,"seats":60,"effectiveOn":"2026-07-01"}""",
        ["contract.renewed"] = """{"contractId":"C-2026-001","arr":160000,"endsOn":"2027-12-31","seats":70}""",
        ["contract.cancelled"] = """{"contractId":"C-2026-001","effectiveOn":"2026-12-31","reason":"Budget cuts","competitor":"Globex"}""",
        ["invoice.issued"] = """{"invoiceId":"INV-7","amount":30000.25,"dueOn":"2026-12-15"}""",
        ["invoice.paid"] = """{"invoiceId":"INV-7","paidOn":"2026-12-10"}""",
        ["stakeholder.changed"] = """{"role":"decision_maker","change":"left","personId":"person-9"}""",
        ["milestone.reached"] = """{"milestone":"first_value"}""",
        ["referral.made"] = """{"referredCompany":"Initech"}""",
        ["feedback.recorded"] = """{"touchpoint":"onboarding call","sentiment":-5}""",
    };

    /// <summary>The optional (<c>?</c>) data fields of each type, as in the envelope table of docs/architecture.md.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> OptionalFields = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["customer.profiled"] = ["industry", "region", "owner", "keyAccount", "locations", "handoverComplete"],
        ["usage.recorded"] = ["userId", "role", "quantity"],
        ["survey.answered"] = ["userId"],
        ["contract.signed"] = ["products"],
        ["contract.renewed"] = ["seats"],
        ["contract.cancelled"] = ["reason", "competitor"],
        ["stakeholder.changed"] = ["personId"],
        ["referral.made"] = ["referredCompany"],
    };

    public static IEnumerable<string> Types => ValidData.Keys;

    public static bool IsOptional(string type, string field) => OptionalFields.TryGetValue(type, out var optional) && optional.Contains(field);

    public static JsonObject Envelope(string type) => (JsonObject)JsonNode.Parse(
        $$"""{"id":"evt-1","type":"{{type}}","customerId":"acme-corp","occurredAt":"2026-11-20T10:15:00Z","data":{{ValidData[type]}}}""")!;

    /// <summary>Sets (or, with <see cref="Remove"/>, removes) a field: <c>"occurredAt"</c> or <c>"data.score"</c>.</summary>
    public static JsonObject With(this JsonObject envelope, string path, string rawJson)
    {
        var (target, name) = path.StartsWith("data.", StringComparison.Ordinal)
            ? (envelope["data"]!.AsObject(), path["data.".Length..])
            : (envelope, path);
        target.Remove(name);
        if (rawJson != Remove)
        {
            target[name] = JsonNode.Parse(rawJson);
        }

        return envelope;
    }

    public static Reading Read(JsonNode envelope, string prefix = Prefix) => Read(envelope.ToJsonString(), prefix);

    public static Reading Read(string json, string prefix = Prefix)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var read = EnvelopeReader.Read(document.RootElement, prefix, ReceivedAt, Options, errors);
        return new Reading(read, errors);
    }
}

internal sealed record Reading(CustomerEvent? Event, Dictionary<string, List<string>> Errors)
{
    public IEnumerable<string> Keys => Errors.Keys.Order(StringComparer.Ordinal);

    public string Describe() => string.Join("; ", Errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}"));
}
