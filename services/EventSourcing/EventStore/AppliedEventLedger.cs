using Marten;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// Exactly-once in effect over at-least-once delivery: a service keeps the ids it applied in a narrow table
/// (<see cref="AppliedEventTable"/>: id primary key, applied_at), read with one query per page and written with one
/// statement per page, queued in the same session (one transaction) as its appends. A redelivered event is filtered
/// out; two deliveries racing each other collide on the primary key, the later commit fails whole and is retried.
/// </summary>
public static class AppliedEventLedger
{
    /// <summary>The events whose ids this service has not applied yet (first occurrence of each id).</summary>
    public static async Task<IReadOnlyList<T>> NotYetAppliedAsync<T>(
        this IQuerySession session, IEnumerable<T> events, Func<T, string> idOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var candidates = events.DistinctBy(idOf).ToList();
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var ids = candidates.Select(idOf).ToArray();
        // The array travels as one text[] parameter: wrapped, or params would spread it into one parameter per id.
        var applied = await session.QueryAsync<string>(
            $"select id from {AppliedEventTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName)} where id = any(?)",
            cancellationToken,
            [ids]);
        if (applied.Count == 0)
        {
            return candidates;
        }

        var known = applied.ToHashSet(StringComparer.Ordinal);
        return candidates.Where(e => !known.Contains(idOf(e))).ToList();
    }

    /// <summary>Records the ids as applied; commits (or fails) with the rest of the session.</summary>
    public static void RecordApplied(this IDocumentSession session, IEnumerable<string> ids, DateTimeOffset appliedAt)
    {
        ArgumentNullException.ThrowIfNull(session);
        var records = ids.ToArray();
        if (records.Length > 0)
        {
            // A plain insert, no ON CONFLICT: a concurrent apply of the same id must fail the commit, not pass silently.
            session.QueueSqlCommand(
                $"insert into {AppliedEventTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName)} (id, applied_at) select unnest(?::text[]), ?",
                records,
                appliedAt.ToUniversalTime());
        }
    }
}
