using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.ServiceDefaults.EventStore;
using Marten;
using JasperFx;

namespace CustomerSuccess.Ingestion.EventLog;

/// <summary>
/// Ingestion's own log of accepted envelopes: one Marten stream per customer. It is the platform's
/// outbox and replayable source of truth: a committed event is relayed to the broker by
/// <see cref="Relay.EventLogRelay"/>, never published by hand.
/// </summary>
public sealed class CustomerEventLog(IDocumentStore store, TimeProvider time)
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// Commits every event whose id was not accepted before, in one transaction, and reports how many
    /// were new and how many were re-sent ids (within this call or from earlier ones).
    /// </summary>
    public async Task<IngestionResult> AppendAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var fresh = await session.NotYetAppliedAsync(events, e => e.EventId, cancellationToken);
            foreach (var stream in fresh.GroupBy(e => e.CustomerId, StringComparer.Ordinal))
            {
                session.Events.Append(stream.Key, stream.ToArray<object>());
            }

            session.RecordApplied(fresh.Select(e => e.EventId), time.GetUtcNow());
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                return new IngestionResult(fresh.Count, events.Count - fresh.Count);
            }
            catch (DocumentAlreadyExistsException) when (attempt < MaxAttempts)
            {
                // Another request committed one of these ids between our check and our commit: check again.
            }
        }
    }
}
