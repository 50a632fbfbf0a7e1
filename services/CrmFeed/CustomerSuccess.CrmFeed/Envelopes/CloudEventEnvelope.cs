namespace CustomerSuccess.CrmFeed.Envelopes;

/// <summary>
/// One CRM feed event: the CloudEvents 1.0 structured-mode JSON in <see cref="Body"/>, written once by
/// <see cref="CloudEventWriter"/> and sent as these exact bytes on every channel, with the attributes a channel
/// needs (message id, routing key, timestamp) alongside so nobody parses the body to route it.
/// </summary>
public sealed record CloudEventEnvelope(
    string Id,
    string Type,
    string Source,
    string Subject,
    DateTimeOffset Time,
    string Sequence,
    ReadOnlyMemory<byte> Body)
{
    public const string ContentType = "application/cloudevents+json";
}
