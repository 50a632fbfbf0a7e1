using CustomerSuccess.ServiceDefaults.Scheduling;
using Marten;

namespace CustomerSuccess.HealthScore.Scoring;

/// <summary>
/// Re-scores every customer on the schedule, so a customer who stops using the product loses outcome
/// as days pass with no new event. Only changed results are appended.
/// </summary>
public sealed class DailyHealthEvaluation(IDocumentStore store) : IScheduledEvaluation
{
    private const int PageSize = 200;

    public async Task EvaluateAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        for (var page = 0; ; page++)
        {
            await using var query = store.QuerySession();
            var customers = await query.Query<CustomerFacts>().OrderBy(f => f.Id).Select(f => f.Id)
                .Skip(page * PageSize).Take(PageSize).ToListAsync(cancellationToken);
            if (customers.Count == 0)
            {
                return;
            }

            await using var session = store.LightweightSession();
            foreach (var customerId in customers)
            {
                await CustomerHealthEvaluator.RecordAsync(session, customerId, [], asOf, cancellationToken);
            }

            await session.SaveChangesAsync(cancellationToken);
        }
    }
}
