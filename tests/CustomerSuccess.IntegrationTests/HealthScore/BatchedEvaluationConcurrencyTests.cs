using CustomerSuccess.Contracts.Events;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.IntegrationTests.Infrastructure;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// The consumer reads a whole page of customers in one batch; each stream must still carry the version it was read at,
/// so a write that lands in between fails the commit instead of being overwritten.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BatchedEvaluationConcurrencyTests(Platform platform)
{
    private IDocumentStore Store => platform.HealthScore.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_page_read_before_a_concurrent_write_to_one_of_its_customers_fails_to_commit_and_loses_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var quiet = $"batch-quiet-{Guid.NewGuid():N}";
        var busy = $"batch-busy-{Guid.NewGuid():N}";
        await RecordAsync([Changes(quiet, now, 1), Changes(busy, now, 1)], now);

        // The page is read, then another process writes to one of its customers before the page commits.
        await using var page = Store.LightweightSession();
        await CustomerHealthEvaluator.RecordAsync(page, [Changes(quiet, now, 2), Changes(busy, now, 2)], ScoringModel.Default, now, CancellationToken.None);
        await RecordAsync([Changes(busy, now, 3)], now);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => page.SaveChangesAsync());
        Assert.True(failure is ConcurrencyException or EventStreamUnexpectedMaxEventIdException, failure.ToString());

        // Nothing of the failed page was stored; the concurrent write was kept, and a retry of the page applies on top of it.
        await RecordAsync([Changes(quiet, now, 2), Changes(busy, now, 2)], now);
        await using var query = Store.QuerySession();
        var facts = await query.LoadManyAsync<CustomerFacts>(quiet, busy);
        Assert.Equal(2, facts.Single(f => f.Id == quiet).UsageDays.Single().FeatureQuantities["message.sent"]);
        Assert.Equal(3, facts.Single(f => f.Id == busy).UsageDays.Single().FeatureQuantities["message.sent"]);
    }

    private async Task RecordAsync(IReadOnlyList<CustomerChanges> customers, DateTimeOffset now)
    {
        await using var session = Store.LightweightSession();
        await CustomerHealthEvaluator.RecordAsync(session, customers, ScoringModel.Default, now, CancellationToken.None);
        await session.SaveChangesAsync();
    }

    private static CustomerChanges Changes(string customerId, DateTimeOffset now, int number) => new(customerId,
    [
        new UsageRecorded
        {
            EventId = $"{customerId}-{number}", CustomerId = customerId, Feature = "message.sent", UserId = "user-1",
            OccurredAt = now.AddDays(-1), ReceivedAt = now,
        },
    ]);
}
