namespace CustomerSuccess.Contracts.Events;

/// <summary>
/// A page of committed customer events relayed from Ingestion's event log, in log order.
/// One message carries one or many events; its own message id is not stable across retries,
/// so consumers de-duplicate by <see cref="CustomerEvent.EventId"/>.
/// </summary>
public sealed record CustomerEventsIngested
{
    /// <summary>The events, in the order Ingestion committed them.</summary>
    public required IReadOnlyList<CustomerEvent> Events { get; init; }
}
