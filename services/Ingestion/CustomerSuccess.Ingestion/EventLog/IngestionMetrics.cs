using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Ingestion.Envelopes;

namespace CustomerSuccess.Ingestion.EventLog;

/// <summary>
/// Envelopes accepted, re-sent (duplicate ids) and rejected, per event type and per API key name. The type of a
/// rejected envelope is its <c>type</c> field when that names a known type, else <c>unknown</c>: a client's free text
/// never becomes a label, so the number of series stays bounded.
/// </summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "CustomerSuccess.Ingestion";
    public const string UnknownType = "unknown";
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;

    public IngestionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("customersuccess.ingestion.events.accepted", "{event}", "Envelopes committed to the event log.");
        _duplicates = meter.CreateCounter<long>("customersuccess.ingestion.events.duplicates", "{event}", "Envelopes whose id was accepted before (not appended again).");
        _rejected = meter.CreateCounter<long>("customersuccess.ingestion.events.rejected", "{event}", "Envelopes refused as invalid (a rejected /v1/events request counts each of its envelopes).");
    }

    /// <summary>After a commit: <paramref name="fresh"/> were appended, the rest of <paramref name="sent"/> were re-sent ids.</summary>
    public void Committed(IReadOnlyList<CustomerEvent> sent, IReadOnlyList<CustomerEvent> fresh, string apiKey)
    {
        var freshByType = fresh.CountBy(e => e.Type).ToDictionary(StringComparer.Ordinal);
        foreach (var (type, count) in freshByType)
        {
            _accepted.Add(count, Tags(type, apiKey));
        }

        foreach (var (type, count) in sent.CountBy(e => e.Type))
        {
            var duplicates = count - freshByType.GetValueOrDefault(type);
            if (duplicates > 0)
            {
                _duplicates.Add(duplicates, Tags(type, apiKey));
            }
        }
    }

    public void Rejected(string type, string apiKey, long count = 1) => _rejected.Add(count, Tags(type, apiKey));

    /// <summary>The label for an envelope that may be invalid: its known type, or <see cref="UnknownType"/>.</summary>
    public static string TypeOf(JsonElement envelope) =>
        envelope.ValueKind == JsonValueKind.Object
        && envelope.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String
        && type.GetString() is { } name
        && EnvelopeReader.KnownTypes.Contains(name)
            ? name
            : UnknownType;

    private static TagList Tags(string type, string apiKey) => new()
    {
        { "customersuccess.event.type", type },
        { "customersuccess.api_key", apiKey },
    };
}
