using System.Text.Json;

namespace CustomerSuccess.CrmFeed.Envelopes;

/// <summary>
/// The attributes the feed store indexes, read from a received CloudEvent without re-writing its bytes, and its
/// <c>traceparent</c> extension (null when the change was not traced).
/// </summary>
public sealed record CloudEventAttributes(string Id, string Type, string Subject, DateTimeOffset Time, string? TraceParent = null)
{
    /// <summary>The <c>traceparent</c> extension of a stored CloudEvent (null when it has none or is not JSON).</summary>
    public static string? TraceParentOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            var json = new Utf8JsonReader(body.Span);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var traceParent = json.ValueTextEquals("traceparent"u8);
                json.Read();
                if (traceParent)
                {
                    return json.TokenType == JsonTokenType.String ? json.GetString() : null;
                }

                json.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a structured-mode CloudEvent; null with <paramref name="problem"/> when it is not one the feed accepts.</summary>
    public static CloudEventAttributes? Read(ReadOnlyMemory<byte> body, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? Text(string name) =>
                root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;

            if (Text("specversion") != CloudEventWriter.SpecVersion)
            {
                problem = "specversion is not 1.0";
                return null;
            }

            var id = Text("id");
            var type = Text("type");
            var subject = Text("subject");
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(subject))
            {
                problem = "id, type or subject is missing";
                return null;
            }

            if (!CrmEventTypes.IsKnown(type))
            {
                problem = $"type '{type}' is not a CRM feed type";
                return null;
            }

            if (!DateTimeOffset.TryParse(Text("time"), System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
            {
                problem = "time is missing or not RFC 3339";
                return null;
            }

            problem = null;
            return new CloudEventAttributes(id, type, subject, time, Text("traceparent"));
        }
        catch (JsonException exception)
        {
            problem = $"not JSON: {exception.Message}";
            return null;
        }
    }
}
