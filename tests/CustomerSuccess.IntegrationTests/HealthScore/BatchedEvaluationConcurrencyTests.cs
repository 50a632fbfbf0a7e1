using CustomerSuccess.IntegrationTests.Infrastructure;
using JasperFx;
using JasperFx.Events;
using static CustomerSuccess.IntegrationTests.HealthScore.CustomerStreamWrites;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// The consumer reads a whole page of customers in one batch; each stream must still carry the version it was read at,
/// so a write that lands in between fails the commit instead of being overwritten.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BatchedEvaluationConcurrencyTests(Platform platform)
{
    private readonly CustomerStreamWrites _streams = new(platform);

    [Fact]
    public async Task A_page_read_before_a_concurrent_write_to_one_of_its_customers_fails_to_commit_and_loses_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var quiet = $"batch-quiet-{Guid.NewGuid():N}";
        var busy = $"batch-busy-{Guid.NewGuid():N}";
        await _streams.CommitAsync([Usage(quiet, now, 1), Usage(busy, now, 1)], now);

        // The page is read, then another process writes to one of its customers before the page commits.
        await using var page = _streams.Store.LightweightSession();
        await RecordAsync(page, [Usage(quiet, now, 2), Usage(busy, now, 2)], now);
        await _streams.CommitAsync([Usage(busy, now, 3)], now);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => page.SaveChangesAsync());
        Assert.True(failure is ConcurrencyException or EventStreamUnexpectedMaxEventIdException, failure.ToString());

        // Nothing of the failed page was stored; the concurrent write was kept, and a retry of the page applies on top of it.
        await _streams.CommitAsync([Usage(quiet, now, 2), Usage(busy, now, 2)], now);
        Assert.Equal(2, await _streams.MessagesSentAsync(quiet));
        Assert.Equal(3, await _streams.MessagesSentAsync(busy));
    }
}
