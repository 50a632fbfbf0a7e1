using System.Text;
using System.Text.Json;
using CustomerSuccess.Ingestion.Envelopes;
using static CustomerSuccess.Ingestion.Tests.Envelopes.EnvelopeExamples;

namespace CustomerSuccess.Ingestion.Tests.Envelopes;

/// <summary>
/// Whatever JSON arrives, the reader either returns an event or says why not, and never throws.
/// Inputs are built as JSON text so they can hold what serializers would not write (lone surrogates,
/// duplicate names, numbers beyond any CLR type), then parsed like the endpoint does (MaxDepth 256).
/// </summary>
public sealed class EnvelopeFuzzTests
{
    private const int CasesPerSeed = 1000;
    private const string ItemPrefix = "[7].";

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "3.0", "1.5", "-5", "5", "10", "-20", "20", "11", "1e2", "2147483647", "2147483648",
        "-2147483649", "1e400", "-1e400", "1e-400", "79228162514264337593543950336", "79228162514264337593543950335",
        "123456789012345678901234567890.5", "0.000000000000000000000000000001", "1000000000000", "1000000000000.01",
        "9007199254740993", "1" + new string('0', 400),
    ];

    /// <summary>String contents, already escaped for JSON: plausible values, edge cases and broken unicode.</summary>
    private static readonly string[] Strings =
    [
        "", " ", "a", "evt-1", "acme-corp", "usage.recorded", "Usage.Recorded", "nps", "csat", "ces", "decision_maker",
        "first_value", "joined", "admin", "incident", "urgent", "EUR", "eur", "2026-11-20", "2026-02-30", "2026-11-20T10:15:00Z",
        "2026-11-20T10:15:00", "2026-11-20T10:15:00.123456789+01:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
        "\\u0000", "\\ud800", "\\udc00\\ud800", "x\\ud800y", "\\ud83d\\ude80", "😀", "e\u0301", "\u202Eevil", "\\n", "\\t\\r",
        "\u00A0", "\uFEFF", "\u2028", "１２３", "٣", new string('a', 300), "message.sent", "T-1001",
    ];

    private static readonly string[] Names =
    [
        "id", "type", "customerId", "occurredAt", "data", "name", "industry", "region", "owner", "keyAccount", "locations",
        "handoverComplete", "feature", "userId", "role", "quantity", "paid", "free", "assigned", "ticketId", "category",
        "priority", "survey", "score", "contractId", "arr", "currency", "seats", "startsOn", "endsOn", "products",
        "effectiveOn", "reason", "competitor", "invoiceId", "amount", "dueOn", "paidOn", "change", "personId", "milestone",
        "referredCompany", "touchpoint", "sentiment", "ID", "Data", "", " ", "\\ud800", "\\u0000", "$type", "__proto__",
    ];

    public static TheoryData<int> Seeds => [1, 2, 3, 20261120];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Any_random_JSON_value_is_either_read_or_explained(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < CasesPerSeed; i++)
        {
            AssertReadOrExplained(random.Next(3) == 0 ? RandomValue(random, 0) : RandomObject(random, 0));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Any_random_mutation_of_a_valid_envelope_is_either_read_or_explained(int seed)
    {
        var random = new Random(seed);
        var types = Types.ToArray();
        for (var i = 0; i < CasesPerSeed; i++)
        {
            AssertReadOrExplained(MutatedEnvelope(random, types[random.Next(types.Length)]));
        }
    }

    private static readonly string DeepArray = new string('[', 250) + new string(']', 250);
    private static readonly string DeepObject = string.Concat(Enumerable.Repeat("{\"a\":", 250)) + "1" + new string('}', 250);
    private static readonly string Huge = new('x', 200_000);

    private static readonly Dictionary<string, Func<string>> ExtremeInputs = new(StringComparer.Ordinal)
    {
        ["an envelope nested 255 arrays deep"] = () => new string('[', 255) + new string(']', 255),
        ["a feature nested 250 arrays deep"] = () => Usage().Replace("\"message.sent\"", DeepArray, StringComparison.Ordinal),
        ["a feature nested 250 objects deep"] = () => Usage().Replace("\"message.sent\"", DeepObject, StringComparison.Ordinal),
        ["an unknown data field nested 250 objects deep"] = () => Usage().Replace("\"data\":{", $"\"data\":{{\"deep\":{DeepObject},", StringComparison.Ordinal),
        ["a 200k character id"] = () => Usage().Replace("evt-1", Huge, StringComparison.Ordinal),
        ["a 200k character customer id"] = () => Usage().Replace("acme-corp", Huge, StringComparison.Ordinal),
        ["a 200k character feature"] = () => Usage().Replace("message.sent", Huge, StringComparison.Ordinal),
        ["a 200k character type"] = () => Usage().Replace("usage.recorded", Huge, StringComparison.Ordinal),
        ["a 100k digit fraction of a second"] = () => Usage().Replace("10:15:00Z", "10:15:00." + new string('1', 100_000) + "Z", StringComparison.Ordinal),
        ["a 200k character field name"] = () => Usage().Replace("\"feature\"", $"\"{Huge}\":1,\"feature\"", StringComparison.Ordinal),
        ["a 100k digit quantity"] = () => Usage().Replace("\"quantity\":3", "\"quantity\":1" + new string('0', 100_000), StringComparison.Ordinal),
        ["5000 unknown data fields"] = () => Usage().Replace("\"data\":{", "\"data\":{" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"\"f{i}\":{i},")), StringComparison.Ordinal),
        ["10k products that are lone surrogates"] = () => Envelope("contract.signed").ToJsonString()
            .Replace("[\"Core\"", "[" + string.Concat(Enumerable.Repeat("\"\\ud800\",", 10_000)) + "\"Core\"", StringComparison.Ordinal),
        ["field names that are lone surrogates"] = () => Envelope("customer.profiled").ToJsonString()
            .Replace("\"name\"", "\"\\ud800\":1,\"\\udfff\":2,\"name\"", StringComparison.Ordinal),
    };

    public static TheoryData<string> Extremes => [.. ExtremeInputs.Keys];

    [Theory]
    [MemberData(nameof(Extremes))]
    public void Huge_deep_and_broken_input_is_explained_not_thrown(string input)
    {
        var reading = AssertReadOrExplained(ExtremeInputs[input]());

        Assert.Null(reading.Event);
    }

    private static string Usage() => Envelope("usage.recorded").ToJsonString();

    private static Reading AssertReadOrExplained(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var read = EnvelopeReader.Read(document.RootElement, ItemPrefix, ReceivedAt, Options, errors);

        Assert.True((read is null) == (errors.Count > 0), $"Read returned {(read is null ? "null" : "an event")} with {errors.Count} error keys for {Shorten(json)}");
        Assert.All(errors, error =>
        {
            Assert.True(error.Key == "[7]" || error.Key.StartsWith(ItemPrefix, StringComparison.Ordinal), error.Key);
            Assert.NotEmpty(error.Value);
        });
        return new Reading(read, errors);
    }

    private static string MutatedEnvelope(Random random, string type)
    {
        var envelope = Fields(Envelope(type).ToJsonString());
        var data = Fields(ValidData[type]);
        for (var mutations = random.Next(1, 4); mutations > 0; mutations--)
        {
            var target = random.Next(3) == 0 ? envelope : data;
            switch (random.Next(6))
            {
                case 0 when target.Count > 0:
                    var replaced = random.Next(target.Count);
                    target[replaced] = (target[replaced].Name, RandomValue(random, 1));
                    break;
                case 1 when target.Count > 0:
                    target.RemoveAt(random.Next(target.Count));
                    break;
                case 2:
                    target.Insert(random.Next(target.Count + 1), (Quote(Pick(random, Names)), RandomValue(random, 1)));
                    break;
                case 3 when target.Count > 0:
                    var (name, _) = target[random.Next(target.Count)];
                    target.Add((name, RandomValue(random, 1)));
                    break;
                case 4:
                    var otherType = Types.ElementAt(random.Next(ValidData.Count));
                    envelope.RemoveAll(field => field.Name == "\"type\"");
                    envelope.Add(("\"type\"", Quote(otherType)));
                    break;
                default:
                    var index = target.FindIndex(field => field.Name != "\"data\"");
                    if (index >= 0)
                    {
                        target[index] = (target[index].Name, Pick(random, [Quote(Pick(random, Strings)), Pick(random, Numbers), "true", "null", "{}", "[]"]));
                    }

                    break;
            }
        }

        var dataText = "{" + string.Join(",", data.Select(field => $"{field.Name}:{field.Value}")) + "}";
        return "{" + string.Join(",", envelope.Select(field => $"{field.Name}:{(field.Name == "\"data\"" && field.Value == "{}" ? dataText : field.Value)}")) + "}";
    }

    /// <summary>An object's fields as raw JSON; <c>data</c> is left as <c>{}</c>, to be filled with the (mutated) data fields.</summary>
    private static List<(string Name, string Value)> Fields(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .Select(property => (JsonSerializer.Serialize(property.Name), property.Name == "data" ? "{}" : property.Value.GetRawText()))
            .ToList();
    }

    private static string RandomValue(Random random, int depth) => random.Next(depth > 5 ? 4 : 7) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.Next(3) == 0 ? random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : Pick(random, Numbers),
        3 => random.Next(3) == 0 ? JsonSerializer.Serialize(RandomText(random)) : Quote(Pick(random, Strings)),
        4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ => RandomValue(random, depth + 1))) + "]",
        _ => RandomObject(random, depth + 1),
    };

    private static string RandomObject(Random random, int depth) =>
        "{" + string.Join(",", Enumerable.Range(0, random.Next(7)).Select(_ => $"{Quote(Pick(random, Names))}:{RandomValue(random, depth + 1)}")) + "}";

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        for (var length = random.Next(0, 40); length > 0; length--)
        {
            text.Append(random.Next(4) switch
            {
                0 => char.ConvertFromUtf32(random.Next(0, 0x20)),
                1 => char.ConvertFromUtf32(random.Next(0x20, 0x7F)),
                2 => char.ConvertFromUtf32(random.Next(0xA0, 0xD7FF)),
                _ => char.ConvertFromUtf32(random.Next(0x1F300, 0x1F6FF)),
            });
        }

        return text.ToString();
    }

    private static string Quote(string escapedContent) => $"\"{escapedContent}\"";

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Shorten(string json) => json.Length <= 300 ? json : json[..300] + "…";
}
