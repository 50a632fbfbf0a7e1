using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.TiersAndStages;
using CustomerSuccess.IntegrationTests.Infrastructure;
using JasperFx;
using JasperFx.Events;
using static CustomerSuccess.IntegrationTests.HealthScore.CustomerStreamWrites;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// The facts, tier and stage consumers write the same customer's stream from different queues. Inside one instance they
/// take the customer's lock from reading the stream to committing, so the second writer reads what the first committed
/// instead of failing its version check; across instances (separate locks) the check still fails one, and its retry ends
/// right.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CustomerStreamLockTests(Platform platform)
{
    private readonly CustomerStreamWrites _streams = new(platform);

    [Fact]
    public async Task A_tier_change_arriving_while_a_page_of_facts_is_being_applied_waits_for_it_and_both_are_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var customer = $"locked-{Guid.NewGuid():N}";
        var other = $"locked-other-{Guid.NewGuid():N}";
        var locks = new CustomerStreamLocks();
        await _streams.CommitAsync([Usage(customer, now, 1), Usage(other, now, 1)], now);

        Task tierChange;
        await using (var page = _streams.Store.LightweightSession())
        {
            using (await locks.EnterAsync([other, customer], CancellationToken.None))
            {
                await RecordAsync(page, [Usage(customer, now, 2), Usage(other, now, 2)], now);
                // Read while the page holds the customer: it must wait for the page's commit, not read the stream now.
                tierChange = WriteTierAsync(locks, customer, now);
                await page.SaveChangesAsync();
            }
        }

        await tierChange;
        Assert.Equal(2, await _streams.MessagesSentAsync(customer));
        Assert.Equal(CustomerTier.KeyAccount, (await _streams.FactsAsync(customer)).TierAt(now));
    }

    [Fact]
    public async Task Across_instances_the_version_check_still_fails_the_second_writer_and_its_retry_keeps_both()
    {
        var now = DateTimeOffset.UtcNow;
        var customer = $"unlocked-{Guid.NewGuid():N}";
        await _streams.CommitAsync([Usage(customer, now, 1)], now);

        // Two instances: each its own locks, so nothing stops the interleaving.
        await using var page = _streams.Store.LightweightSession();
        using (await new CustomerStreamLocks().EnterAsync([customer], CancellationToken.None))
        {
            await RecordAsync(page, [Usage(customer, now, 2)], now);
            await WriteTierAsync(new CustomerStreamLocks(), customer, now);
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => page.SaveChangesAsync());
            Assert.True(failure is ConcurrencyException or EventStreamUnexpectedMaxEventIdException, failure.ToString());
        }

        await _streams.CommitAsync([Usage(customer, now, 2)], now, new CustomerStreamLocks());
        Assert.Equal(2, await _streams.MessagesSentAsync(customer));
        Assert.Equal(CustomerTier.KeyAccount, (await _streams.FactsAsync(customer)).TierAt(now));
    }

    private async Task WriteTierAsync(CustomerStreamLocks locks, string customerId, DateTimeOffset now)
    {
        var eventId = $"{customerId}-tier";
        await using var session = _streams.Store.LightweightSession();
        using (await locks.EnterAsync([customerId], CancellationToken.None))
        {
            await CustomerHealthEvaluator.RecordAsync(
                session, customerId, [new TierRecorded(eventId, CustomerTier.KeyAccount, false, now, now)], ScoringModel.Default, now, CancellationToken.None);
            await session.SaveChangesAsync();
        }
    }
}
