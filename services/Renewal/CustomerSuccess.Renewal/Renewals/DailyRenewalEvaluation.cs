using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Scheduling;
using CustomerSuccess.Renewal.Domain;
using JasperFx.Events;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Renewal.Renewals;

/// <summary>
/// Decides every customer again as of the scheduled instant, so the passage of time alone opens renewal windows, lapses
/// contracts and moves risk. Idempotent: a window already opened for a term is never opened again, an unchanged risk
/// appends nothing.
/// </summary>
public sealed class DailyRenewalEvaluation(IDocumentStore store, IOptions<RenewalSettings> settings, CustomerStreamLocks locks) : IScheduledEvaluation
{
    private const int PageSize = 200;

    public async Task EvaluateAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        // Read once: paging with Skip/Take would shift as customers arrive; a new customer is decided by its own events.
        IReadOnlyList<string> all;
        await using (var query = store.QuerySession())
        {
            all = await query.Query<CustomerRenewal>().OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(cancellationToken);
        }

        foreach (var page in all.Chunk(PageSize))
        {
            try
            {
                await using var session = store.LightweightSession();
                using var entered = await locks.EnterAsync(page, cancellationToken);
                var batch = session.CreateBatchQuery();
                var streams = page.Select(id => batch.Events.FetchForWriting<CustomerRenewal>(id)).ToList();
                await batch.Execute(cancellationToken);
                for (var i = 0; i < page.Length; i++)
                {
                    RenewalRecorder.Append(await streams[i], page[i], [], settings.Value, asOf);
                }

                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                // A consumer wrote to one of these streams meanwhile: customer by customer, so one busy stream holds back no other.
                await EvaluateOneByOneAsync(page, asOf, cancellationToken);
            }
        }
    }

    private async Task EvaluateOneByOneAsync(IEnumerable<string> customerIds, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        foreach (var customerId in customerIds)
        {
            try
            {
                await using var session = store.LightweightSession();
                using var entered = await locks.EnterAsync([customerId], cancellationToken);
                await RenewalRecorder.RecordAsync(session, customerId, [], settings.Value, asOf, cancellationToken);
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                // The customer's own events are being applied right now and decide on the same rules.
            }
        }
    }
}
