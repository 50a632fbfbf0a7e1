namespace CustomerSuccess.Client;

/// <summary>
/// One event as a product backend posts it. <paramref name="Id"/> is chosen by the sender and makes a retry
/// safe: a re-sent id is acknowledged as a duplicate and never counted twice.
/// </summary>
/// <param name="Id">Unique id, 1–128 characters.</param>
/// <param name="Type">Event type, e.g. <c>usage.recorded</c>.</param>
/// <param name="CustomerId">The vendor's own customer id.</param>
/// <param name="OccurredAt">When it happened, with offset.</param>
/// <param name="Data">The type's fields (an anonymous object or a dictionary is fine).</param>
public sealed record EventEnvelope(string Id, string Type, string CustomerId, DateTimeOffset OccurredAt, object Data);
