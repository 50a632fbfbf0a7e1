using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.EventSourcing.Scheduling;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.ScoringModels;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// Re-scores every customer with the current model, on the schedule (so a customer who stops using the product loses
/// outcome as days pass with no new event) or on an operator's request. Only changed results are appended.
/// </summary>
public sealed class DailyHealthEvaluation(IDocumentStore store, CustomerStreamLocks locks) : IScheduledEvaluation
{
    private const int PageSize = 200;

    /// <summary>Attempts per page when a consumer wrote to one of its customers' streams at the same moment.</summary>
    private const int Attempts = 3;

    public Task EvaluateAsync(DateTimeOffset asOf, CancellationToken cancellationToken) => ReevaluateAllAsync(asOf, cancellationToken);

    /// <summary>Evaluates every customer as of <paramref name="asOf"/>.</summary>
    /// <returns>How many customers were evaluated and how many of them got a new result.</returns>
    public async Task<(int Customers, int Changed)> ReevaluateAllAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ScoringModel model;
        await using (var query = store.QuerySession())
        {
            model = await ScoringModelStore.CurrentAsync(query, cancellationToken);
        }

        // The ids are read once: paging with Skip/Take would shift as new customers arrive and skip some; a customer
        // created during the run is scored by its own events anyway.
        List<string> all;
        await using (var query = store.QuerySession())
        {
            all = (await query.Query<CustomerFacts>().OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(cancellationToken)).ToList();
        }

        var changed = 0;
        foreach (var page in all.Chunk(PageSize))
        {
            changed += await EvaluatePageAsync(page, model, asOf, cancellationToken);
        }

        return (all.Count, changed);
    }

    private async Task<int> EvaluatePageAsync(IReadOnlyList<string> customerIds, ScoringModel model, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = store.LightweightSession();
                using var entered = await locks.EnterAsync(customerIds, cancellationToken);
                var evaluations = await CustomerHealthEvaluator.RecordAsync(
                    session, customerIds.Select(id => new CustomerChanges(id, [])).ToList(), model, asOf, cancellationToken);
                await session.SaveChangesAsync(cancellationToken);
                return evaluations.Count(e => e is not null);
            }
            catch (Exception exception) when (exception is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                if (attempt == Attempts)
                {
                    // A busy page: go customer by customer, so one busy stream cannot hold back the rest.
                    return await EvaluateOneByOneAsync(customerIds, model, asOf, cancellationToken);
                }

                // A consumer appended to one of these streams meanwhile; evaluate the page again from what is stored now.
            }
        }
    }

    private async Task<int> EvaluateOneByOneAsync(IReadOnlyList<string> customerIds, ScoringModel model, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var customerId in customerIds)
        {
            try
            {
                await using var session = store.LightweightSession();
                using var entered = await locks.EnterAsync([customerId], cancellationToken);
                if (await CustomerHealthEvaluator.RecordAsync(session, customerId, [], model, asOf, cancellationToken) is not null)
                {
                    changed++;
                }

                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                // The customer's own events are being applied right now, and that evaluation is newer than this one.
            }
        }

        return changed;
    }
}
