using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Scheduling;
using CustomerSuccess.Lifecycle.Domain;
using JasperFx.Events;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Lifecycle.Stages;

/// <summary>
/// Re-evaluates every customer on the schedule: the day's tier calibration (kept as an event, so hysteresis replays
/// exactly), and the changes the passage of time alone brings — an overdue first value or delivery, a renewal window
/// opening, a lapse, sustained healthy use — published like any other change. Idempotent: a second run the same day
/// finds nothing new to append.
/// </summary>
public sealed class DailyLifecycleEvaluation(IDocumentStore store, IOptions<LifecycleSettings> settings, CustomerStreamLocks locks) : IScheduledEvaluation
{
    private const int PageSize = 200;

    /// <summary>Attempts per page when a consumer wrote to one of its customers' streams at the same moment.</summary>
    private const int Attempts = 3;

    public async Task EvaluateAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        // The ids are read once: a customer created during the run is evaluated by its own events anyway.
        IReadOnlyList<string> all;
        await using (var query = store.QuerySession())
        {
            all = await query.Query<LifecycleHistory>().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync(cancellationToken);
        }

        foreach (var page in all.Chunk(PageSize))
        {
            await EvaluatePageAsync(page, asOf, cancellationToken);
        }
    }

    private async Task EvaluatePageAsync(IReadOnlyList<string> customerIds, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = store.LightweightSession();
                using var entered = await locks.EnterAsync(customerIds, cancellationToken);
                await LifecycleRecorder.RecordAsync(session, customerIds.Select(id => new NewLifecycleFacts(id, [])).ToList(), settings.Value, asOf, cancellationToken);
                await session.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                if (attempt == Attempts)
                {
                    // A busy page: customer by customer, so one busy stream cannot hold back the rest.
                    await EvaluateOneByOneAsync(customerIds, asOf, cancellationToken);
                    return;
                }
            }
        }
    }

    private async Task EvaluateOneByOneAsync(IReadOnlyList<string> customerIds, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        foreach (var customerId in customerIds)
        {
            try
            {
                await using var session = store.LightweightSession();
                using var entered = await locks.EnterAsync([customerId], cancellationToken);
                await LifecycleRecorder.RecordAsync(session, [new NewLifecycleFacts(customerId, [])], settings.Value, asOf, cancellationToken);
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                // The customer's own events are being applied right now; they re-evaluate it as of a later instant.
            }
        }
    }
}
