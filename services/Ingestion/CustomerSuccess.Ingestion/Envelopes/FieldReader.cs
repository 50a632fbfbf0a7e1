using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerSuccess.Contracts;

namespace CustomerSuccess.Ingestion.Envelopes;

/// <summary>
/// Reads the fields of one JSON object (the envelope or its <c>data</c>). Each reader returns the
/// value, or a placeholder after recording a problem under <c>path + name</c>; it remembers which
/// fields it was asked for, so <see cref="ReportUnknown"/> can name the leftovers.
/// Never throws on any JSON: every access is a Try or a kind check.
/// </summary>
internal sealed partial class FieldReader
{
    private const int MaxNameInKey = 64;
    private const int MaxEchoedValue = 64;
    private const string InstantExample = "2026-11-20T10:15:00Z";

    private static readonly DateOnly EarliestDate = new(1900, 1, 1);
    private static readonly DateOnly LatestDate = new(2999, 12, 31);

    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _duplicates = new(StringComparer.Ordinal);
    private readonly List<string> _expected = [];
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly string _subject;
    private readonly EnvelopeProblems _problems;

    /// <param name="json">An object (the caller checks the kind).</param>
    /// <param name="path">Key prefix of its fields: <c>""</c>, <c>"[3]."</c>, <c>"[3].data."</c>.</param>
    /// <param name="subject">What the object is, for messages: "the envelope", "usage.recorded data".</param>
    /// <param name="problems">Where problems go; shared by the envelope and its data.</param>
    public FieldReader(JsonElement json, string path, string subject, EnvelopeProblems problems)
    {
        _path = path;
        _subject = subject;
        _problems = problems;
        foreach (var property in json.EnumerateObject())
        {
            if (!TryGetName(property, out var name))
            {
                problems.Add(ObjectKey, $"A field name in {subject} is not valid Unicode (it contains an unpaired surrogate).");
            }
            else if (!_fields.TryAdd(name, property.Value) && _duplicates.Add(name))
            {
                Fail(name, "appears more than once.");
            }
        }
    }

    /// <summary>The key of the object itself: <c>"[3].data"</c>, or <c>""</c> for a lone envelope (the body).</summary>
    private string ObjectKey => RootKey(_path);

    /// <summary>The key naming a whole object whose fields are keyed <paramref name="path"/> + name.</summary>
    public static string RootKey(string path) => path.TrimEnd('.');

    public string RequiredId(string name) => Read<string>(name, required: true, ParseId, out var value) ? value : "";

    public string? OptionalId(string name) => Read<string>(name, required: false, ParseId, out var value) ? value : null;

    public string RequiredText(string name) => Read<string>(name, required: true, ParseText, out var value) ? value : "";

    public string? OptionalText(string name) => Read<string>(name, required: false, ParseText, out var value) ? value : null;

    public string RequiredFeature(string name) => Read<string>(name, required: true, ParseFeature, out var value) ? value : "";

    public string RequiredCurrency(string name) => Read<string>(name, required: true, ParseCurrency, out var value) ? value : "";

    public string RequiredChoice(string name, IReadOnlyCollection<string> allowed, string allowedDescription) =>
        Read(name, required: true, (JsonElement json, out string value, out string problem) => ParseChoice(json, allowed, allowedDescription, out value, out problem), out var choice) ? choice : "";

    public T RequiredEnum<T>(string name) where T : struct, Enum => Read<T>(name, required: true, ParseEnum, out var value) ? value : default;

    public T? OptionalEnum<T>(string name) where T : struct, Enum => Read<T>(name, required: false, ParseEnum, out var value) ? value : null;

    public int RequiredInt(string name, int min, int max, string? rangeNote = null) =>
        Read(name, required: true, Integer(min, max, rangeNote), out var value) ? value : 0;

    public int? OptionalInt(string name, int min, int max) => Read(name, required: false, Integer(min, max, null), out var value) ? value : null;

    public int RequiredIntOneOf(string name, IReadOnlyCollection<int> allowed) =>
        Read(name, required: true, (JsonElement json, out int value, out string problem) => ParseIntOneOf(json, allowed, out value, out problem), out var choice) ? choice : 0;

    public decimal RequiredDecimal(string name, decimal min, decimal max) =>
        Read(name, required: true, (JsonElement json, out decimal value, out string problem) => ParseDecimal(json, min, max, out value, out problem), out var amount) ? amount : 0m;

    public bool? OptionalBool(string name) => Read<bool>(name, required: false, ParseBool, out var value) ? value : null;

    public DateOnly RequiredDate(string name) => Read<DateOnly>(name, required: true, ParseDate, out var value) ? value : default;

    public DateTimeOffset RequiredInstant(string name) => Read<DateTimeOffset>(name, required: true, ParseInstant, out var value) ? value : default;

    /// <summary>An optional array of 1–<paramref name="maxItems"/> free-text strings; a bad item is keyed <c>name[i]</c>.</summary>
    public IReadOnlyList<string>? OptionalTextList(string name, int maxItems, int maxItemLength)
    {
        if (!Take(name, required: false, out var json))
        {
            return null;
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            Fail(name, $"must be an array of strings, but was {Describe(json)}.");
            return null;
        }

        var count = json.GetArrayLength();
        if (count == 0 || count > maxItems)
        {
            Fail(name, $"must hold 1 to {maxItems} strings, but held {count}.");
            return null;
        }

        var items = new List<string>(count);
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (ParseText(item, maxItemLength, out var text, out var problem))
            {
                items.Add(text);
            }
            else
            {
                _failed.Add(name);
                Fail($"{name}[{index}]", problem);
            }

            index++;
        }

        return _failed.Contains(name) ? null : items;
    }

    /// <summary>A required nested object, as a reader of its own fields (keyed <c>path + name + "."</c>), or null.</summary>
    public FieldReader? RequiredObject(string name, string subject)
    {
        if (!Take(name, required: true, out var json))
        {
            return null;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            Fail(name, $"must be a JSON object, but was {Describe(json)}.");
            return null;
        }

        return new FieldReader(json, $"{_path}{name}.", subject, _problems);
    }

    /// <summary>Whether the field was present and read without a problem (for checks across fields).</summary>
    public bool IsValid(string name) =>
        _fields.TryGetValue(name, out var json) && json.ValueKind != JsonValueKind.Null && !_failed.Contains(name);

    /// <summary>Records a problem found by a check across fields, e.g. "endsOn must be after startsOn".</summary>
    public void Reject(string name, string problem) => Fail(name, problem);

    /// <summary>Reports every field nobody asked for, naming the fields that are expected.</summary>
    public void ReportUnknown()
    {
        foreach (var name in _fields.Keys)
        {
            if (_expected.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var expected = _expected.Count == 0 ? "none" : string.Join(", ", _expected);
            var nearMiss = _expected.FirstOrDefault(e => string.Equals(e, name, StringComparison.OrdinalIgnoreCase));
            Fail(name, nearMiss is null
                ? $"is not a field of {_subject}; expected: {expected}."
                : $"is not a field of {_subject}; field names are case-sensitive, did you mean '{nearMiss}'?");
        }
    }

    internal static string Describe(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private delegate bool Parser<T>(JsonElement json, out T value, out string problem);

    private bool Read<T>(string name, bool required, Parser<T> parse, out T value)
    {
        value = default!;
        if (!Take(name, required, out var json))
        {
            return false;
        }

        if (parse(json, out value, out var problem))
        {
            return true;
        }

        Fail(name, problem);
        return false;
    }

    /// <summary>Finds the field; a JSON null counts as absent, which is fine for optional fields only.</summary>
    private bool Take(string name, bool required, out JsonElement json)
    {
        _expected.Add(name);
        if (_duplicates.Contains(name))
        {
            json = default;
            return false;
        }

        if (_fields.TryGetValue(name, out json) && json.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Fail(name, json.ValueKind == JsonValueKind.Null ? "is required and must not be null." : "is required.");
        }

        return false;
    }

    private void Fail(string name, string problem)
    {
        _failed.Add(name);
        var shown = name.Length > MaxNameInKey ? string.Concat(name.AsSpan(0, MaxNameInKey), "…") : name;
        _problems.Add(_path + shown, $"'{shown}' {problem}");
    }

    private static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            // Escaped lone surrogates (e.g. "\ud800") parse as JSON but are not text.
            name = "";
            return false;
        }
    }

    private static bool ParseString(JsonElement json, out string value, out string problem)
    {
        value = "";
        problem = "";
        if (json.ValueKind != JsonValueKind.String)
        {
            problem = $"must be a string, but was {Describe(json)}.";
            return false;
        }

        try
        {
            value = json.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            problem = "must be valid Unicode text, but contains an unpaired surrogate.";
            return false;
        }
    }

    /// <summary>Ids: 1–128 characters from A–Z a–z 0–9 . _ : @ / + = - (no spaces).</summary>
    private static bool ParseId(JsonElement json, out string value, out string problem)
    {
        if (!ParseString(json, out value, out problem))
        {
            return false;
        }

        if (value.Length is 0 or > 128)
        {
            problem = $"must be 1 to 128 characters long, but was {value.Length}.";
            return false;
        }

        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '@' or '/' or '+' or '=' or '-'))
        {
            problem = "may only contain letters A-Z and a-z, digits and . _ : @ / + = - (no spaces).";
            return false;
        }

        return true;
    }

    private static bool ParseText(JsonElement json, out string value, out string problem) => ParseText(json, 256, out value, out problem);

    /// <summary>Free text: 1–<paramref name="maxLength"/> characters, not blank, no control characters.</summary>
    private static bool ParseText(JsonElement json, int maxLength, out string value, out string problem)
    {
        if (!ParseString(json, out value, out problem))
        {
            return false;
        }

        if (value.Length == 0 || value.Length > maxLength)
        {
            problem = $"must be 1 to {maxLength} characters long, but was {value.Length}.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "must not be blank.";
            return false;
        }

        if (value.Any(char.IsControl))
        {
            problem = "must not contain control characters (tabs, line breaks and the like).";
            return false;
        }

        return true;
    }

    /// <summary>Feature names such as <c>message.sent</c>: 1–128 of A–Z a–z 0–9 . _ - : /.</summary>
    private static bool ParseFeature(JsonElement json, out string value, out string problem)
    {
        if (!ParseString(json, out value, out problem))
        {
            return false;
        }

        if (value.Length is 0 or > 128)
        {
            problem = $"must be 1 to 128 characters long, but was {value.Length}.";
            return false;
        }

        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '/'))
        {
            problem = "may only contain letters A-Z and a-z, digits and . _ - : / (e.g. message.sent).";
            return false;
        }

        return true;
    }

    private static bool ParseCurrency(JsonElement json, out string value, out string problem)
    {
        if (!ParseString(json, out value, out problem))
        {
            return false;
        }

        if (value.Length != 3 || !value.All(char.IsAsciiLetterUpper))
        {
            problem = "must be a three-letter ISO 4217 currency code in capitals, e.g. EUR.";
            return false;
        }

        return true;
    }

    private static bool ParseChoice(JsonElement json, IReadOnlyCollection<string> allowed, string allowedDescription, out string value, out string problem)
    {
        var choices = string.Join(", ", allowed);
        if (json.ValueKind != JsonValueKind.String)
        {
            value = "";
            problem = $"must be a string, one of {allowedDescription}: {choices}; but was {Describe(json)}.";
            return false;
        }

        if (!ParseString(json, out value, out problem))
        {
            return false;
        }

        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            var shown = value.Length <= MaxEchoedValue && !value.Any(char.IsControl) ? $"is '{value}', which " : "";
            problem = $"{shown}is not one of {allowedDescription} (case-sensitive): {choices}.";
            return false;
        }

        return true;
    }

    private static bool ParseEnum<T>(JsonElement json, out T value, out string problem) where T : struct, Enum
    {
        value = default;
        if (!ParseChoice(json, (IReadOnlyCollection<string>)WireName.All<T>(), "the allowed values", out var name, out problem))
        {
            return false;
        }

        return WireName.TryParse(name, out value);
    }

    private static Parser<int> Integer(int min, int max, string? rangeNote) =>
        (JsonElement json, out int value, out string problem) => ParseInt(json, min, max, rangeNote, out value, out problem);

    /// <summary>
    /// Integral JSON numbers only (3, also 3.0 or 3e0 as some serializers write them); never 1.5 or "3".
    /// </summary>
    private static bool ParseInt(JsonElement json, int min, int max, string? rangeNote, out int value, out string problem)
    {
        value = 0;
        problem = "";
        var range = $"an integer from {min} to {max}{rangeNote}";
        if (json.ValueKind != JsonValueKind.Number)
        {
            problem = $"must be {range}, but was {Describe(json)}.";
            return false;
        }

        if (!json.TryGetDecimal(out var number))
        {
            problem = $"must be {range}.";
            return false;
        }

        // Decimal rounds what it cannot hold (1e-400 reads as 0), so a zero must be written as one.
        if (number != decimal.Truncate(number) || (number == 0 && IsRoundedToZero(json)))
        {
            problem = $"must be {range}, without a fraction.";
            return false;
        }

        if (number < min || number > max)
        {
            problem = $"must be {range}.";
            return false;
        }

        value = (int)number;
        return true;
    }

    private static bool IsRoundedToZero(JsonElement number) =>
        number.GetRawText().TakeWhile(c => c is not ('e' or 'E')).Any(c => c is >= '1' and <= '9');

    private static bool ParseIntOneOf(JsonElement json, IReadOnlyCollection<int> allowed, out int value, out string problem)
    {
        if (!ParseInt(json, int.MinValue, int.MaxValue, null, out value, out _) || !allowed.Contains(value))
        {
            problem = $"must be one of the integers {string.Join(", ", allowed)}, but was {(json.ValueKind == JsonValueKind.Number ? "a number outside that set" : Describe(json))}.";
            return false;
        }

        problem = "";
        return true;
    }

    private static bool ParseDecimal(JsonElement json, decimal min, decimal max, out decimal value, out string problem)
    {
        value = 0m;
        problem = "";
        var range = $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        if (json.ValueKind != JsonValueKind.Number)
        {
            problem = $"must be {range}, but was {Describe(json)}.";
            return false;
        }

        if (!json.TryGetDecimal(out value) || value < min || value > max)
        {
            value = 0m;
            problem = $"must be {range}.";
            return false;
        }

        return true;
    }

    private static bool ParseBool(JsonElement json, out bool value, out string problem)
    {
        value = json.ValueKind == JsonValueKind.True;
        problem = "";
        if (json.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return true;
        }

        problem = $"must be true or false, but was {Describe(json)}.";
        return false;
    }

    /// <summary>Calendar dates written exactly as <c>yyyy-MM-dd</c>, years 1900–2999.</summary>
    private static bool ParseDate(JsonElement json, out DateOnly value, out string problem)
    {
        value = default;
        if (!ParseString(json, out var text, out problem))
        {
            problem = json.ValueKind == JsonValueKind.String ? problem : $"must be a string holding a date written yyyy-MM-dd, but was {Describe(json)}.";
            return false;
        }

        if (!DatePattern().IsMatch(text)
            || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            problem = "must be a calendar date written yyyy-MM-dd, e.g. 2026-11-20.";
            return false;
        }

        if (value < EarliestDate || value > LatestDate)
        {
            problem = "must be a date from 1900-01-01 to 2999-12-31.";
            return false;
        }

        return true;
    }

    /// <summary>
    /// ISO-8601 / RFC 3339 instants with an explicit offset: <c>2026-11-20T10:15:00Z</c>,
    /// <c>2026-11-20T11:15:00.123+01:00</c>. Fractions beyond 100 ns (Go writes 9 digits) are truncated.
    /// The offset is kept as sent.
    /// </summary>
    private static bool ParseInstant(JsonElement json, out DateTimeOffset value, out string problem)
    {
        value = default;
        if (!ParseString(json, out var text, out problem))
        {
            problem = json.ValueKind == JsonValueKind.String ? problem : $"must be a string holding an ISO-8601 instant such as {InstantExample}, but was {Describe(json)}.";
            return false;
        }

        var match = text.Length <= 64 ? InstantPattern().Match(text) : Match.Empty;
        if (!match.Success)
        {
            problem = text.Length <= 64 && LocalTimePattern().IsMatch(text)
                ? $"must include a UTC offset or Z, e.g. {InstantExample}; a time without offset is ambiguous."
                : $"must be an ISO-8601 instant with date, time and UTC offset, e.g. {InstantExample}.";
            return false;
        }

        var fraction = match.Groups["fraction"].Value.PadRight(7, '0')[..7];
        var offset = match.Groups["offset"].Value is "Z" ? "+00:00" : match.Groups["offset"].Value;
        var normalized = $"{match.Groups["local"].Value}.{fraction}{offset}";
        if (!DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            problem = $"is not a valid date, time and offset (offsets go up to ±14:00), e.g. {InstantExample}.";
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?<local>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(\.(?<fraction>[0-9]{1,9}))?(?<offset>Z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LocalTimePattern();
}
