using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Observability;
using CustomerSuccess.ServiceDefaults.Problems;
using JasperFx;
using Marten;
using Npgsql;

namespace CustomerSuccess.Ingestion.EventLog;

/// <summary>
/// Ingestion's own log of accepted envelopes: one Marten stream per customer. It is the platform's
/// outbox and replayable source of truth: a committed event is relayed to the broker by
/// <see cref="Relay.EventLogRelay"/>, never published by hand.
/// </summary>
public sealed class CustomerEventLog(IDocumentStore store, TimeProvider time, IngestionMetrics metrics) : IDisposable
{
    private const int MaxAttempts = 5;
    private const int StripeCount = 256;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Commits every event whose id was not accepted before, in one transaction, and reports how many
    /// were new and how many were re-sent ids (within this call or from earlier ones), counted for
    /// <paramref name="apiKey"/> (the name of the key that sent them).
    /// </summary>
    public async Task<IngestionResult> AppendAsync(IReadOnlyList<CustomerEvent> events, string apiKey, CancellationToken cancellationToken)
    {
        // Within this process, requests touching the same customers take turns (partition by customer); across
        // processes a collision is retried below.
        var stripes = events.Select(e => StripeOf(e.CustomerId)).Distinct().Order().ToArray();
        var taken = 0;
        try
        {
            foreach (var stripe in stripes)
            {
                await _stripes[stripe].WaitAsync(cancellationToken);
                taken++;
            }

            return await AppendUnderStripesAsync(events, apiKey, cancellationToken);
        }
        finally
        {
            for (var i = 0; i < taken; i++)
            {
                _stripes[stripes[i]].Release();
            }
        }
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private static int StripeOf(string customerId) => (int)((uint)StringComparer.Ordinal.GetHashCode(customerId) % StripeCount);

    private async Task<IngestionResult> AppendUnderStripesAsync(IReadOnlyList<CustomerEvent> events, string apiKey, CancellationToken cancellationToken)
    {
        // The span whose traceparent the committed events keep: relays and consumers link to it.
        using var commit = EventTracing.Start("event-log commit");
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
                metrics.Committed(events, fresh, apiKey);
                return new IngestionResult(fresh.Count, events.Count - fresh.Count);
            }
            catch (Exception exception) when (IsConcurrentWrite(exception))
            {
                // Another request committed one of these ids, or appended to the same customer's stream (two first
                // appends to a new stream race on its first version), between our read and our commit. Nothing of
                // ours was committed: look again and retry.
                if (attempt == MaxAttempts)
                {
                    throw new TransientConflictException($"Gave up after {MaxAttempts} attempts of concurrent writes to the same customers.", exception);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    private static bool IsConcurrentWrite(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DocumentAlreadyExistsException or ConcurrencyException or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                return true;
            }
        }

        return false;
    }
}
