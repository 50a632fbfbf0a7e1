using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// Writes HealthScore's customer streams in the test process the way its consumers do (<see cref="CustomerHealthEvaluator"/>
/// on a Marten session, the default model), for the tests of what concurrent writers of one stream do.
/// </summary>
internal sealed class CustomerStreamWrites(Platform platform)
{
    public IDocumentStore Store => platform.HealthScore.Services.GetRequiredService<IDocumentStore>();

    /// <summary>One use of <c>message.sent</c> the day before <paramref name="now"/>, as the event <c>{customerId}-{number}</c>.</summary>
    public static CustomerChanges Usage(string customerId, DateTimeOffset now, int number) => new(customerId,
    [
        new UsageRecorded
        {
            EventId = $"{customerId}-{number}", CustomerId = customerId, Feature = "message.sent", UserId = "user-1",
            OccurredAt = now.AddDays(-1), ReceivedAt = now,
        },
    ]);

    /// <summary>Records a page of changes in <paramref name="page"/>, uncommitted: the test decides what happens before the commit.</summary>
    public static Task RecordAsync(IDocumentSession page, IReadOnlyList<CustomerChanges> customers, DateTimeOffset now) =>
        CustomerHealthEvaluator.RecordAsync(page, customers, ScoringModel.Default, now, CancellationToken.None);

    /// <summary>Records a page of changes in a session of its own and commits it, holding the customers' locks when given.</summary>
    public async Task CommitAsync(IReadOnlyList<CustomerChanges> customers, DateTimeOffset now, CustomerStreamLocks? locks = null)
    {
        await using var session = Store.LightweightSession();
        using (locks is null ? null : await locks.EnterAsync(customers.Select(c => c.CustomerId), CancellationToken.None))
        {
            await RecordAsync(session, customers, now);
            await session.SaveChangesAsync();
        }
    }

    public async Task<CustomerFacts> FactsAsync(string customerId)
    {
        await using var query = Store.QuerySession();
        var facts = await query.LoadAsync<CustomerFacts>(customerId);
        Assert.NotNull(facts);
        return facts;
    }

    /// <summary>The uses of <c>message.sent</c> the customer's facts count on their one usage day.</summary>
    public async Task<long> MessagesSentAsync(string customerId) =>
        (await FactsAsync(customerId)).UsageDays.Single().FeatureQuantities["message.sent"];
}
