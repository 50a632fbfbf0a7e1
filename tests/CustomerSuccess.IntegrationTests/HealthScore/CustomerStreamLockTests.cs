using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.HealthScore.Scoring;
using CustomerSuccess.HealthScore.TiersAndStages;
using CustomerSuccess.IntegrationTests.Infrastructure;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;

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
    private IDocumentStore Store => platform.HealthScore.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_tier_change_arriving_while_a_page_of_facts_is_being_applied_waits_for_it_and_both_are_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var customer = $"locked-{Guid.NewGuid():N}";
        var other = $"locked-other-{Guid.NewGuid():N}";
        var locks = new CustomerStreamLocks();
        await WriteAsync(null, [customer, other], now, 1);

        Task tierChange;
        await using (var page = Store.LightweightSession())
        {
            using (await locks.EnterAsync([other, customer], CancellationToken.None))
            {
                await CustomerHealthEvaluator.RecordAsync(page, [Usage(customer, now, 2), Usage(other, now, 2)], ScoringModel.Default, now, CancellationToken.None);
                // Read while the page holds the customer: it must wait for the page's commit, not read the stream now.
                tierChange = WriteTierAsync(locks, customer, now);
                await page.SaveChangesAsync();
            }
        }

        await tierChange;
        await using var query = Store.QuerySession();
        var facts = await query.LoadAsync<CustomerFacts>(customer);
        Assert.Equal(2, facts!.UsageDays.Single().FeatureQuantities["message.sent"]);
        Assert.Equal(CustomerTier.KeyAccount, facts.TierAt(now));
    }

    [Fact]
    public async Task Across_instances_the_version_check_still_fails_the_second_writer_and_its_retry_keeps_both()
    {
        var now = DateTimeOffset.UtcNow;
        var customer = $"unlocked-{Guid.NewGuid():N}";
        await WriteAsync(null, [customer], now, 1);

        // Two instances: each its own locks, so nothing stops the interleaving.
        await using var page = Store.LightweightSession();
        using (await new CustomerStreamLocks().EnterAsync([customer], CancellationToken.None))
        {
            await CustomerHealthEvaluator.RecordAsync(page, [Usage(customer, now, 2)], ScoringModel.Default, now, CancellationToken.None);
            await WriteTierAsync(new CustomerStreamLocks(), customer, now);
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => page.SaveChangesAsync());
            Assert.True(failure is ConcurrencyException or EventStreamUnexpectedMaxEventIdException, failure.ToString());
        }

        await WriteAsync(new CustomerStreamLocks(), [customer], now, 2);
        await using var query = Store.QuerySession();
        var facts = await query.LoadAsync<CustomerFacts>(customer);
        Assert.Equal(2, facts!.UsageDays.Single().FeatureQuantities["message.sent"]);
        Assert.Equal(CustomerTier.KeyAccount, facts.TierAt(now));
    }

    private async Task WriteTierAsync(CustomerStreamLocks locks, string customerId, DateTimeOffset now)
    {
        var eventId = $"{customerId}-tier";
        await using var session = Store.LightweightSession();
        using (await locks.EnterAsync([customerId], CancellationToken.None))
        {
            await CustomerHealthEvaluator.RecordAsync(
                session, customerId, [new TierRecorded(eventId, CustomerTier.KeyAccount, false, now, now)], ScoringModel.Default, now, CancellationToken.None);
            await session.SaveChangesAsync();
        }
    }

    private async Task WriteAsync(CustomerStreamLocks? locks, IReadOnlyList<string> customerIds, DateTimeOffset now, int number)
    {
        await using var session = Store.LightweightSession();
        using (locks is null ? null : await locks.EnterAsync(customerIds, CancellationToken.None))
        {
            await CustomerHealthEvaluator.RecordAsync(session, customerIds.Select(c => Usage(c, now, number)).ToList(), ScoringModel.Default, now, CancellationToken.None);
            await session.SaveChangesAsync();
        }
    }

    private static CustomerChanges Usage(string customerId, DateTimeOffset now, int number) => new(customerId,
    [
        new UsageRecorded
        {
            EventId = $"{customerId}-{number}", CustomerId = customerId, Feature = "message.sent", UserId = "user-1",
            OccurredAt = now.AddDays(-1), ReceivedAt = now,
        },
    ]);
}
