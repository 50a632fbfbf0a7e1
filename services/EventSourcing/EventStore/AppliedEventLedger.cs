using Marten;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>An event id this service has applied; stored in the same transaction as what the event changed.</summary>
public sealed class AppliedEvent
{
    public string Id { get; set; } = "";

    public DateTimeOffset AppliedAt { get; set; }
}

/// <summary>
/// Exactly-once in effect over at-least-once delivery: a service keeps the ids it applied as documents,
/// written in the same session (one transaction) as its appends. A redelivered event is filtered out;
/// two deliveries racing each other collide on the document's primary key and one of them is retried.
/// </summary>
public static class AppliedEventLedger
{
    /// <summary>The events whose ids this service has not applied yet (first occurrence of each id).</summary>
    public static async Task<IReadOnlyList<T>> NotYetAppliedAsync<T>(
        this IQuerySession session, IEnumerable<T> events, Func<T, string> idOf, CancellationToken cancellationToken)
    {
        var candidates = events.DistinctBy(idOf).ToList();
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var applied = await session.LoadManyAsync<AppliedEvent>(cancellationToken, candidates.Select(idOf).ToArray());
        if (applied.Count == 0)
        {
            return candidates;
        }

        var known = applied.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        return candidates.Where(e => !known.Contains(idOf(e))).ToList();
    }

    /// <summary>Records the ids as applied; commits (or fails) with the rest of the session.</summary>
    public static void RecordApplied(this IDocumentSession session, IEnumerable<string> ids, DateTimeOffset appliedAt)
    {
        var records = ids.Select(id => new AppliedEvent { Id = id, AppliedAt = appliedAt }).ToArray();
        if (records.Length > 0)
        {
            // Insert, not Store: a concurrent apply of the same id must fail, not overwrite.
            session.Insert(records);
        }
    }
}
