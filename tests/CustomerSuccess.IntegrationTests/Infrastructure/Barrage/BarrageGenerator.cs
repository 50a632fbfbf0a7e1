using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerSuccess.Contracts.Events;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// Builds the barrage from a seeded <see cref="Random"/>: the same requests every run, only the ids carry the run's
/// tag. Good ids are <c>{run}-g{n}</c>; every id in a request or line that must be refused is <c>{run}-b{n}</c> (or
/// that made invalid), so "nothing bad applied" is "no id of this run outside the good set".
/// </summary>
internal sealed partial class Barrage(Random random, string run, DateTimeOffset now)
{
    /// <summary>Every envelope type, in the contract's declaration order (the seeded barrage depends on the order).</summary>
    public static readonly string[] Types = [.. CustomerEventTypes.Names.Values];

    private const int Customers = 20;
    private const int LimitedBurst = 40;
    private const int MiB = 1024 * 1024;
    private const string Json = "application/json";
    private const string Ndjson = "application/x-ndjson";
    private const string Events = "/v1/events";
    private const string Bulk = "/v1/events/bulk";

    private static readonly string[] TopLevel = ["id", "type", "customerId", "occurredAt", "data"];

    private static readonly Dictionary<string, string[]> RequiredData = new(StringComparer.Ordinal)
    {
        ["customer.profiled"] = ["name"],
        ["usage.recorded"] = ["feature"],
        ["seats.reported"] = ["paid", "free", "assigned"],
        ["ticket.opened"] = ["ticketId", "category", "priority"],
        ["ticket.responded"] = ["ticketId"],
        ["ticket.resolved"] = ["ticketId"],
        ["ticket.reopened"] = ["ticketId"],
        ["survey.answered"] = ["survey", "score"],
        ["contract.signed"] = ["contractId", "arr", "currency", "seats", "startsOn", "endsOn"],
        ["contract.amended"] = ["contractId", "arr", "seats", "effectiveOn"],
        ["contract.renewed"] = ["contractId", "arr", "endsOn"],
        ["contract.cancelled"] = ["contractId", "effectiveOn"],
        ["invoice.issued"] = ["invoiceId", "amount", "dueOn"],
        ["invoice.paid"] = ["invoiceId", "paidOn"],
        ["stakeholder.changed"] = ["role", "change"],
        ["milestone.reached"] = ["milestone"],
        ["referral.made"] = [],
        ["feedback.recorded"] = ["touchpoint", "sentiment"],
    };

    private static readonly Dictionary<string, string[]> EnumData = new(StringComparer.Ordinal)
    {
        ["usage.recorded"] = ["role"],
        ["ticket.opened"] = ["category", "priority"],
        ["survey.answered"] = ["survey"],
        ["stakeholder.changed"] = ["role", "change"],
        ["milestone.reached"] = ["milestone"],
    };

    private int _good;
    private int _bad;
    private int _number;

    public int BadIdCount => _bad;

    public List<Shot> Shots()
    {
        var shots = new List<Shot>();
        void Add(int count, Func<Shot> make)
        {
            for (var i = 0; i < count; i++)
            {
                shots.Add(make());
            }
        }

        // Good requests.
        Add(700, GoodSingle);
        Add(50, GoodArray);
        Add(40, GoodBulk);

        // Refused whole: nothing of them may be applied.
        Add(400, MalformedJson);
        Add(60, NotEnvelopes);
        Add(40, EmptyBody);
        Add(680, WrongSingle);
        Add(300, MixedArray);
        Add(10, TooManyItems);
        Add(16, TooLarge);
        Add(100, WrongMediaType);
        Add(200, NoKey);
        Add(200, WrongKey);
        Add(120, ReadScopeOnly);
        Add(60, EveryScopeButIngest);

        // Bulk: bad lines rejected, good lines in them accepted.
        Add(80, MixedBulk);
        Add(8, BulkWithOverlongLine);
        Add(10, EmptyBulk);

        // The other services' refusals: Lifecycle's tier pins and lists, Renewal's worklist and metrics, the CRM feed.
        AddServiceShots(shots);

        for (var i = shots.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (shots[i], shots[j]) = (shots[j], shots[i]);
        }

        // The first requests that may ingest go as one burst on the rate-limited key: they meet 429s, wait as told and get through.
        foreach (var i in Enumerable.Range(0, shots.Count).Where(i => shots[i].Key is not null && shots[i].Service == "ingestion" && !shots[i].Category.StartsWith("auth.", StringComparison.Ordinal)).Take(LimitedBurst))
        {
            shots[i] = shots[i] with { Credential = Credential.Bearer, Key = BarragePlatform.LimitedIngestKey };
        }

        return shots;
    }

    private Shot GoodSingle()
    {
        var (envelope, good) = GoodEnvelope();
        return Ingest("good.single", Events, Bytes(envelope), Json, HttpStatusCode.Accepted) with { Good = [good] };
    }

    private Shot GoodArray()
    {
        var items = Enumerable.Range(0, random.Next(2, 51)).Select(_ => GoodEnvelope()).ToList();
        return Ingest("good.array", Events, Bytes(new JsonArray([.. items.Select(i => i.Envelope)])), Json, HttpStatusCode.Accepted)
            with { Good = [.. items.Select(i => i.Good)] };
    }

    private Shot GoodBulk()
    {
        var lines = new List<byte[]>();
        var good = new List<GoodEvent>();
        for (var i = random.Next(3, 31); i > 0; i--)
        {
            if (random.Next(12) == 0)
            {
                lines.Add(Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "" : "  \t"));
            }

            var (envelope, item) = GoodEnvelope();
            lines.Add(Bytes(envelope));
            good.Add(item);
        }

        return Ingest("good.bulk", Bulk, Lines(lines), Ndjson, HttpStatusCode.OK) with { Good = good };
    }

    private Shot MalformedJson()
    {
        var text = Encoding.UTF8.GetString(random.Next(2) == 0 ? Bytes(BadLooking()) : Bytes(new JsonArray([.. Enumerable.Range(0, random.Next(2, 6)).Select(_ => BadLooking())])));
        var (body, check) = Malformed(text);
        return Ingest("bad.malformed-json", Events, body, Json, HttpStatusCode.BadRequest) with { Problem = check };
    }

    private (byte[] Body, ProblemCheck Check) Malformed(string text)
    {
        var dataAt = text.IndexOf("\"data\":", StringComparison.Ordinal) + "\"data\":".Length;
        var idAt = text.IndexOf("\"id\":\"", StringComparison.Ordinal) + "\"id\":\"".Length;
        return random.Next(11) switch
        {
            0 or 1 => (Encoding.UTF8.GetBytes(text[..random.Next(1, text.Length)]), ProblemCheck.MalformedJson),
            2 => (Encoding.UTF8.GetBytes(text.Insert(text.Length - 1, ",")), ProblemCheck.MalformedJson),
            3 => (Encoding.UTF8.GetBytes(text + (random.Next(2) == 0 ? "}" : " x")), ProblemCheck.MalformedJson),
            4 => (Encoding.UTF8.GetBytes("/* comment */" + text), ProblemCheck.MalformedJson),
            5 => (Encoding.UTF8.GetBytes(text.Replace('"', '\'')), ProblemCheck.MalformedJson),
            6 => (Encoding.UTF8.GetBytes(text.Insert(dataAt, "NaN,\"nan\":")), ProblemCheck.MalformedJson),
            7 => (Encoding.UTF8.GetBytes(text.Insert(dataAt, new string('[', 100) + new string(']', 100) + ",\"deep\":")), ProblemCheck.MalformedJson),

            // Not valid UTF-8, or escapes of lone surrogates: in a value and in a property name.
            8 => (Splice(text, idAt, [0xC3, 0x28, 0xFF]), ProblemCheck.None),
            9 => (Splice(text, 2, [0xFE, 0x80]), ProblemCheck.None),
            _ => (Encoding.UTF8.GetBytes(random.Next(2) == 0 ? text.Insert(idAt, "\\ud800") : text.Insert(1, "\"k\\udc00\":1,")), ProblemCheck.None),
        };
    }

    private Shot NotEnvelopes()
    {
        string[] bodies = ["[]", "{}", "42", "null", "true", "\"usage.recorded\"", "[[]]", "[42,null]", "[{}]", "{\"events\":[]}"];
        return Ingest("bad.not-envelopes", Events, Encoding.UTF8.GetBytes(bodies[random.Next(bodies.Length)]), Json, HttpStatusCode.BadRequest);
    }

    private Shot EmptyBody() =>
        Ingest("bad.empty-body", Events, Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "" : " \r\n "), Json, HttpStatusCode.BadRequest)
            with { Problem = ProblemCheck.MalformedJson };

    private Shot WrongSingle()
    {
        // A field given twice is valid JSON that System.Text.Json keeps both of; which one counts would be a guess.
        var body = random.Next(12) == 0
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Bytes(BadLooking("usage.recorded"))).Insert(1, Pick("\"type\":\"usage.recorded\",", "\"id\":\"" + run + "-b-twice\",")))
            : Bytes(Mutate(BadLooking()));
        return Ingest("bad.wrong-field", Events, body, Json, HttpStatusCode.BadRequest) with { Problem = ProblemCheck.SingleEnvelope };
    }

    private Shot MixedArray()
    {
        var count = random.Next(2, 31);
        var bad = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(count)).Distinct().Order().ToList();
        var items = Enumerable.Range(0, count).Select(i => bad.Contains(i) ? Mutate(BadLooking()) : BadLooking());
        return Ingest("bad.mixed-array", Events, Bytes(new JsonArray([.. items])), Json, HttpStatusCode.BadRequest)
            with { Problem = ProblemCheck.Items, BadItems = bad };
    }

    private Shot TooManyItems() =>
        Ingest("bad.over-1000-items", Events, Bytes(new JsonArray([.. Enumerable.Range(0, random.Next(1001, 1051)).Select(_ => BadLooking())])), Json, HttpStatusCode.BadRequest)
            with { Problem = ProblemCheck.WholeRequest };

    /// <summary>Fewer than 1000 envelopes, each valid, but together over 1 MiB.</summary>
    private Shot TooLarge()
    {
        var items = new JsonArray();
        var size = 0;
        while (size <= MiB + random.Next(50_000))
        {
            var envelope = BadLooking("contract.signed");
            ((JsonObject)envelope["data"]!)["products"] = new JsonArray([.. Enumerable.Range(0, 64).Select(p => (JsonNode)$"product-{p}-{new string('p', 100)}")]);
            size += Bytes(envelope).Length + 1;
            items.Add(envelope);
        }

        return Ingest("bad.over-1-mib", Events, Bytes(items), Json, HttpStatusCode.RequestEntityTooLarge) with { Unsized = _number % 2 == 0 };
    }

    private Shot WrongMediaType()
    {
        if (random.Next(3) == 0)
        {
            string?[] bulkTypes = ["application/xml", "text/csv", null, "application/octet-stream"];
            var lines = Lines([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => Bytes(BadLooking()))]);
            return Ingest("bad.media-type", Bulk, lines, bulkTypes[random.Next(bulkTypes.Length)], HttpStatusCode.UnsupportedMediaType);
        }

        string?[] types = ["text/plain", "application/xml", "application/x-www-form-urlencoded", null, Ndjson];
        return Ingest("bad.media-type", Events, Bytes(BadLooking()), types[random.Next(types.Length)], HttpStatusCode.UnsupportedMediaType);
    }

    private Shot NoKey() => Unauthorised("auth.no-key", Credential.None, null, HttpStatusCode.Unauthorized);

    private Shot WrongKey() => random.Next(4) switch
    {
        0 => Unauthorised("auth.wrong-key", Credential.Bearer, $"not-a-key-{random.Next()}", HttpStatusCode.Unauthorized),
        1 => Unauthorised("auth.wrong-key", Credential.ApiKeyHeader, "nope", HttpStatusCode.Unauthorized),
        2 => Unauthorised("auth.wrong-key", Credential.Bearer, Platform.IngestKey.ToUpperInvariant(), HttpStatusCode.Unauthorized),
        _ => Unauthorised("auth.wrong-key", Credential.Basic, Platform.IngestKey, HttpStatusCode.Unauthorized),
    };

    private Shot ReadScopeOnly() =>
        Unauthorised("auth.read-scope", random.Next(2) == 0 ? Credential.Bearer : Credential.ApiKeyHeader, Platform.ReadKey, HttpStatusCode.Forbidden);

    private Shot EveryScopeButIngest() =>
        Unauthorised("auth.no-ingest-scope", Credential.Bearer, BarragePlatform.NoIngestScopeKey, HttpStatusCode.Forbidden);

    /// <summary>Valid envelopes, sent with a credential that may not post them.</summary>
    private Shot Unauthorised(string category, Credential credential, string? key, HttpStatusCode status)
    {
        if (random.Next(10) == 0)
        {
            var lines = Lines([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => Bytes(BadLooking()))]);
            return new Shot(category, ++_number, Bulk, credential, key, lines, Ndjson, status);
        }

        var body = random.Next(2) == 0 ? Bytes(BadLooking()) : Bytes(new JsonArray([.. Enumerable.Range(0, random.Next(1, 11)).Select(_ => BadLooking())]));
        return new Shot(category, ++_number, Events, credential, key, body, Json, status);
    }

    private Shot MixedBulk()
    {
        var lines = new List<byte[]>();
        var good = new List<GoodEvent>();
        var rejected = new List<int>();
        var count = random.Next(5, 21);
        var badAt = random.Next(count);
        for (var i = 0; i < count; i++)
        {
            if (random.Next(12) == 0)
            {
                lines.Add(Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "" : " "));
            }
            else if (i == badAt || random.Next(10) < 3)
            {
                lines.Add(BadLine());
                rejected.Add(lines.Count);
            }
            else
            {
                var (envelope, item) = GoodEnvelope();
                lines.Add(Bytes(envelope));
                good.Add(item);
            }
        }

        return Ingest("bulk.mixed", Bulk, Lines(lines), Ndjson, HttpStatusCode.OK) with { Good = good, RejectedLines = [.. rejected] };
    }

    private byte[] BadLine()
    {
        switch (random.Next(6))
        {
            case 0:
            case 1:
            case 2:
                return Bytes(Mutate(BadLooking()));
            case 3:
                var text = Encoding.UTF8.GetString(Bytes(BadLooking()));
                return Encoding.UTF8.GetBytes(text[..random.Next(1, text.Length)]);
            case 4:
                // Two envelopes on one line: the line is refused whole, neither is kept.
                return [.. Bytes(BadLooking()), .. Bytes(BadLooking())];
            default:
                var (body, _) = Malformed(Encoding.UTF8.GetString(Bytes(BadLooking())));
                return body;
        }
    }

    /// <summary>A bulk line longer than a whole /v1/events body, between good lines; half of them valid JSON envelopes padded with whitespace.</summary>
    private Shot BulkWithOverlongLine()
    {
        var lines = new List<byte[]>();
        var good = new List<GoodEvent>();
        var before = random.Next(1, 6);
        var after = random.Next(1, 6);
        for (var i = 0; i < before + after; i++)
        {
            if (i == before)
            {
                var envelope = BadLooking("usage.recorded");
                var text = Encoding.UTF8.GetString(Bytes(envelope));
                lines.Add(Encoding.UTF8.GetBytes(_number % 2 == 0
                    ? text.Insert(1, new string(' ', MiB + random.Next(100_000)))
                    : text.Replace("\"feature\":\"", "\"feature\":\"" + new string('x', MiB + random.Next(100_000)), StringComparison.Ordinal)));
            }

            var (goodEnvelope, item) = GoodEnvelope();
            lines.Add(Bytes(goodEnvelope));
            good.Add(item);
        }

        return Ingest("bulk.overlong-line", Bulk, Lines(lines), Ndjson, HttpStatusCode.OK) with { Good = good, RejectedLines = [before + 1] };
    }

    private Shot EmptyBulk() =>
        Ingest("bulk.empty", Bulk, Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "" : "\n \n\r\n"), Ndjson, HttpStatusCode.OK);

    /// <summary>A request with a key that may ingest, in either header.</summary>
    private Shot Ingest(string category, string path, byte[] body, string? contentType, HttpStatusCode status) => random.Next(10) switch
    {
        < 4 => new Shot(category, ++_number, path, Credential.ApiKeyHeader, Platform.IngestKey, body, contentType, status),
        < 9 => new Shot(category, ++_number, path, Credential.Bearer, Platform.IngestKey, body, contentType, status),
        _ => new Shot(category, ++_number, path, Credential.Bearer, Platform.AdminKey, body, contentType, status),
    };

    private (JsonObject Envelope, GoodEvent Good) GoodEnvelope()
    {
        var type = Types[random.Next(Types.Length)];
        var id = $"{run}-g{_good++}";
        id = random.Next(20) switch
        {
            // The longest id allowed, and every punctuation an id may hold.
            0 => id + "-" + new string('.', 127 - id.Length),
            1 => id + ":a@b/c+d=e_f.g",
            _ => id,
        };
        return (Envelope(id, type), new GoodEvent(id, type));
    }

    /// <summary>A valid-looking envelope whose id must never be applied: it travels in a request or line that is refused.</summary>
    private JsonObject BadLooking(string? type = null) => Envelope($"{run}-b{_bad++}", type ?? Types[random.Next(Types.Length)]);

    private JsonObject Envelope(string id, string type) => new()
    {
        ["id"] = id,
        ["type"] = type,
        ["customerId"] = $"{run}-c{random.Next(Customers):00}",
        ["occurredAt"] = Instant(now.AddMinutes(-random.Next(10, 400 * 24 * 60))),
        ["data"] = Data(type),
    };

    private JsonObject Data(string type)
    {
        var d = new JsonObject();
        switch (type)
        {
            case "customer.profiled":
                d["name"] = $"Customer {random.Next(1000)}";
                if (Coin()) d["industry"] = "software";
                if (Coin()) d["region"] = "EMEA";
                if (Coin()) d["owner"] = "csm-1";
                if (Coin()) d["keyAccount"] = Coin();
                if (Coin()) d["locations"] = random.Next(1, 50);
                if (Coin()) d["handoverComplete"] = Coin();
                break;
            case "usage.recorded":
                d["feature"] = Pick("message.sent", "file.shared", "report.viewed", "dashboard.opened", "api.called");
                d["role"] = Pick("executive", "operator", "finance", "admin", "other");
                if (Coin()) d["userId"] = $"u-{random.Next(40)}";
                if (Coin()) d["quantity"] = random.Next(1, 6);
                break;
            case "seats.reported":
                var paid = random.Next(5, 200);
                d["paid"] = paid;
                d["free"] = random.Next(0, 5);
                d["assigned"] = random.Next(0, paid + 1);
                break;
            case "ticket.opened":
                d["ticketId"] = $"t-{random.Next(10)}";
                d["category"] = Pick("incident", "operational", "request");
                d["priority"] = Pick("urgent", "high", "normal", "low");
                break;
            case "ticket.responded" or "ticket.resolved" or "ticket.reopened":
                d["ticketId"] = $"t-{random.Next(10)}";
                break;
            case "survey.answered":
                var survey = Pick("nps", "csat", "ces");
                d["survey"] = survey;
                d["score"] = survey switch { "nps" => random.Next(0, 11), "csat" => random.Next(1, 6), _ => random.Next(1, 8) };
                if (Coin()) d["userId"] = $"u-{random.Next(40)}";
                break;
            case "contract.signed":
                var starts = random.Next(-400, 30);
                d["contractId"] = $"k-{random.Next(3)}";
                d["arr"] = random.Next(1, 500) * 1000;
                d["currency"] = Pick("EUR", "USD");
                d["seats"] = random.Next(5, 200);
                d["startsOn"] = Day(starts);
                d["endsOn"] = Day(starts + 365);
                if (Coin()) d["products"] = new JsonArray("core", "analytics");
                break;
            case "contract.amended":
                d["contractId"] = $"k-{random.Next(3)}";
                d["arr"] = random.Next(1, 500) * 1000.5m;
                d["seats"] = random.Next(5, 200);
                d["effectiveOn"] = Day(random.Next(-300, 30));
                break;
            case "contract.renewed":
                d["contractId"] = $"k-{random.Next(3)}";
                d["arr"] = random.Next(1, 500) * 1000;
                d["endsOn"] = Day(random.Next(30, 800));
                if (Coin()) d["seats"] = random.Next(5, 200);
                break;
            case "contract.cancelled":
                d["contractId"] = $"k-{random.Next(3)}";
                d["effectiveOn"] = Day(random.Next(-100, 100));
                if (Coin()) d["reason"] = "budget";
                if (Coin()) d["competitor"] = "Globex";
                break;
            case "invoice.issued":
                d["invoiceId"] = $"i-{random.Next(20)}";
                d["amount"] = random.Next(100, 100_000) / 100m;
                d["dueOn"] = Day(random.Next(-200, 60));
                break;
            case "invoice.paid":
                d["invoiceId"] = $"i-{random.Next(20)}";
                d["paidOn"] = Day(random.Next(-200, 0));
                break;
            case "stakeholder.changed":
                d["role"] = Pick("champion", "decision_maker", "executive_sponsor", "admin");
                d["change"] = Pick("joined", "left");
                if (Coin()) d["personId"] = $"p-{random.Next(30)}";
                break;
            case "milestone.reached":
                d["milestone"] = Pick("handover_completed", "account_opened", "configured", "trained", "first_value", "delivered");
                break;
            case "referral.made":
                if (random.Next(5) > 0) d["referredCompany"] = "Initech";
                break;
            case "feedback.recorded":
                d["touchpoint"] = Pick("qbr", "onboarding call", "support");
                d["sentiment"] = Pick(-20, -10, -5, 5, 10, 20);
                break;
        }

        return d;
    }

    /// <summary>Makes one envelope invalid in one way: a wrong JSON type, a bad value, a missing or unknown field.</summary>
    private JsonNode Mutate(JsonObject e)
    {
        var type = (string)e["type"]!;
        var data = (JsonObject)e["data"]!;
        var id = (string)e["id"]!;
        switch (random.Next(22))
        {
            case 0: e["id"] = random.Next(1, 1_000_000); break;
            case 1: e["id"] = id + new string('x', 129 - id.Length + random.Next(300)); break;
            case 2: e["id"] = id + " x"; break;
            case 3: e["id"] = random.Next(2) == 0 ? "" : new JsonObject { ["value"] = id }; break;
            case 4: e["type"] = random.Next(2) == 0 ? "usage.deleted" : type.ToUpperInvariant(); break;
            case 5: e["type"] = 7; break;
            case 6: e["customerId"] = random.Next(2) == 0 ? new JsonArray((string)e["customerId"]!) : 12; break;
            case 7: e["occurredAt"] = 1_732_000_000; break;
            case 8:
                e["occurredAt"] = Pick(
                    "2026-11-20T10:15:00", "yesterday", "1999-12-31T23:59:59Z", "2026-02-30T10:00:00Z", "2026-11-20T24:00:00Z",
                    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-11-20T10:15:00+15:00");
                break;
            case 9: e["occurredAt"] = Instant(now.AddDays(1 + random.Next(30))); break;
            case 10: e["data"] = random.Next(2) == 0 ? new JsonArray() : "{}"; break;
            case 11: e.Remove(TopLevel[random.Next(TopLevel.Length)]); break;
            case 12: e[TopLevel[random.Next(TopLevel.Length)]] = null; break;
            case 13: e[random.Next(2) == 0 ? "Id" : "extra"] = true; break;
            case 14:
            case 15: WrongDataType(data); break;
            case 16: BadEnum(type, data); break;
            case 17: MissingData(type, data); break;
            case 18:
            case 19: OutOfRange(type, data); break;
            case 20: data["bogus"] = 1; break;
            default:
                return random.Next(3) switch
                {
                    0 => JsonValue.Create(42),
                    1 => JsonValue.Create("usage.recorded"),
                    _ => new JsonArray(),
                };
        }

        return e;
    }

    private void WrongDataType(JsonObject data)
    {
        var fields = data.Select(p => p.Key).ToList();
        if (fields.Count == 0)
        {
            data["referredCompany"] = 5;
            return;
        }

        var name = fields[random.Next(fields.Count)];
        var value = data[name]!;
        data[name] = value.GetValueKind() switch
        {
            JsonValueKind.String => random.Next(3) switch
            {
                0 => JsonValue.Create(20261120),
                1 => JsonValue.Create(true),
                _ => new JsonArray(JsonValue.Create(value.GetValue<string>())),
            },
            JsonValueKind.Number => random.Next(2) == 0 ? JsonValue.Create(value.ToJsonString()) : new JsonObject(),
            JsonValueKind.True or JsonValueKind.False => JsonValue.Create("yes"),
            _ => JsonValue.Create("core"),
        };
    }

    private void BadEnum(string type, JsonObject data)
    {
        if (!EnumData.TryGetValue(type, out var fields))
        {
            WrongDataType(data);
            return;
        }

        var name = fields[random.Next(fields.Length)];
        var value = (string)data[name]!;
        data[name] = random.Next(2) == 0 ? "not_a_value" : char.ToUpperInvariant(value[0]) + value[1..];
    }

    private void MissingData(string type, JsonObject data)
    {
        var required = RequiredData[type];
        if (required.Length == 0)
        {
            data["bogus"] = "x";
            return;
        }

        data.Remove(required[random.Next(required.Length)]);
    }

    private void OutOfRange(string type, JsonObject data)
    {
        switch (type)
        {
            case "customer.profiled": data["name"] = "   "; break;
            case "usage.recorded": data["quantity"] = Pick<JsonNode>(0, 2.5, 1e10, -1); break;
            case "seats.reported": data["paid"] = -1; break;
            case "survey.answered": data["score"] = 11; break;
            case "contract.signed": data["endsOn"] = data["startsOn"]!.DeepClone(); break;
            case "contract.amended" or "contract.renewed": data["arr"] = Pick<JsonNode>(-1, 1e30, 1.5e300); break;
            case "contract.cancelled": data["contractId"] = "k 1"; break;
            case "invoice.issued": data["amount"] = -0.01m; break;
            case "invoice.paid": data["paidOn"] = Pick("2026-02-30", "0000-01-01", "10000-01-01", "2026-1-5", "2026-01-05T00:00:00Z"); break;
            case "stakeholder.changed": data["personId"] = new string('p', 129); break;
            case "milestone.reached": data["milestone"] = ""; break;
            case "referral.made": data["referredCompany"] = new string('r', 257); break;
            case "feedback.recorded": data["sentiment"] = 7; break;
            default: data["ticketId"] = ""; break;
        }
    }

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private byte[] Lines(IEnumerable<byte[]> lines)
    {
        var separator = random.Next(3) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
        var body = new List<byte>();
        var first = true;
        foreach (var line in lines)
        {
            if (!first)
            {
                body.AddRange(separator);
            }

            body.AddRange(line);
            first = false;
        }

        if (Coin())
        {
            body.AddRange(separator);
        }

        return [.. body];
    }

    private static byte[] Splice(string text, int at, byte[] raw) =>
        [.. Encoding.UTF8.GetBytes(text[..at]), .. raw, .. Encoding.UTF8.GetBytes(text[at..])];

    private string Day(int offset) =>
        DateOnly.FromDateTime(now.UtcDateTime).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private bool Coin() => random.Next(2) == 0;

    private T Pick<T>(params T[] choices) => choices[random.Next(choices.Length)];
}
