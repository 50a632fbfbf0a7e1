using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CustomerSuccess.CrmFeed.Envelopes;

/// <summary>
/// Writes CloudEvents 1.0 in structured JSON mode, attributes in one fixed order, compact, UTF-8. The single writer of
/// the feed's bytes: the publisher sends them, the feed store keeps them as received, webhooks and the pull feed
/// serve them unchanged.
/// </summary>
public static class CloudEventWriter
{
    public const string SpecVersion = "1.0";

    /// <summary>Digits of the <c>sequence</c> extension: fixed width, so string order equals numeric order.</summary>
    public const int SequenceDigits = 20;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <paramref name="service"/> is the producing service (becomes <c>urn:customersuccess:&lt;service&gt;</c>);
    /// <paramref name="sequence"/> increases per subject and type (the producer's stream version or event sequence);
    /// <paramref name="writeData"/> writes the <c>data</c> object; <paramref name="traceParent"/>, when the change was
    /// traced, becomes the distributed tracing extension <c>traceparent</c> (the context stored with the change, so a
    /// replay writes the same bytes).
    /// </summary>
    public static CloudEventEnvelope Write(
        string id, string type, string service, string subject, DateTimeOffset time, long sequence, Action<Utf8JsonWriter> writeData,
        string? traceParent = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (!CrmEventTypes.IsKnown(type))
        {
            throw new ArgumentException($"'{type}' is not a CRM feed event type.", nameof(type));
        }

        var source = Source(service);
        var sequenceText = sequence.ToString(new string('0', SequenceDigits), CultureInfo.InvariantCulture);
        var utcTime = time.ToUniversalTime();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("specversion", SpecVersion);
            json.WriteString("id", id);
            json.WriteString("source", source);
            json.WriteString("type", type);
            json.WriteString("subject", subject);
            json.WriteString("time", Timestamp(utcTime));
            json.WriteString("datacontenttype", "application/json");
            json.WriteString("dataschema", CrmEventTypes.DataSchema(type));
            json.WriteString("sequence", sequenceText);
            if (traceParent is not null)
            {
                json.WriteString("traceparent", traceParent);
            }

            json.WritePropertyName("data");
            json.WriteStartObject();
            writeData(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new CloudEventEnvelope(id, type, source, subject, utcTime, sequenceText, buffer.WrittenMemory.ToArray());
    }

    public static string Source(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return $"urn:customersuccess:{service.ToLowerInvariant()}";
    }

    /// <summary>RFC 3339 in UTC with milliseconds, the form every CloudEvents SDK parses.</summary>
    public static string Timestamp(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
