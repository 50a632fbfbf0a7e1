using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Http;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Ingestion;

/// <summary>
/// The applied-id ledger (a narrow table, one statement per page in the page's transaction) and its retention:
/// collisions still fail a commit, pruning keeps what is inside the window, and a re-sent id inside it is not applied twice.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AppliedEventLedgerTests(Platform platform)
{
    private IDocumentStore Store => platform.Ingestion.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_page_reads_its_applied_ids_in_one_query_and_records_them_with_its_commit()
    {
        var prefix = Envelopes.NewCustomerId("ledger-page");
        var applied = Enumerable.Range(0, 1000).Select(i => $"{prefix}-{i}").ToArray();
        await using (var session = Store.LightweightSession())
        {
            session.RecordApplied(applied, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }

        var page = Enumerable.Range(500, 1000).Select(i => $"{prefix}-{i}").Append($"{prefix}-1499").ToArray();
        await using var query = Store.QuerySession();
        var fresh = await query.NotYetAppliedAsync(page, id => id, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1000, 500).Select(i => $"{prefix}-{i}"), fresh);
    }

    [Fact]
    public async Task Two_concurrent_applies_of_one_id_fail_the_later_commit_whole_with_a_unique_violation()
    {
        var id = Envelopes.NewCustomerId("ledger-race");
        var other = $"{id}-other";
        await using var first = Store.LightweightSession();
        await using var second = Store.LightweightSession();
        Assert.Single(await first.NotYetAppliedAsync([id], x => x, CancellationToken.None));
        Assert.Single(await second.NotYetAppliedAsync([id], x => x, CancellationToken.None));

        first.RecordApplied([id], DateTimeOffset.UtcNow);
        await first.SaveChangesAsync();
        second.RecordApplied([other, id], DateTimeOffset.UtcNow);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => second.SaveChangesAsync());

        Assert.Contains(Chain(failure), e => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation });
        await using var query = Store.QuerySession();
        Assert.Equal([other], await query.NotYetAppliedAsync([id, other], x => x, CancellationToken.None));
    }

    [Fact]
    public async Task Pruning_removes_ids_older_than_the_retention_in_bounded_batches_and_keeps_recent_ones()
    {
        // An instant ten years back: the platform's other ids (all recorded today) are younger than any cut-off from it.
        var now = DateTimeOffset.UtcNow.AddYears(-10);
        var prefix = Envelopes.NewCustomerId("ledger-prune");
        var old = Enumerable.Range(0, 250).Select(i => $"{prefix}-old-{i}").ToArray();
        var recent = Enumerable.Range(0, 10).Select(i => $"{prefix}-recent-{i}").ToArray();
        await using (var session = Store.LightweightSession())
        {
            session.RecordApplied(old, now - TimeSpan.FromDays(31));
            session.RecordApplied(recent, now - TimeSpan.FromDays(29));
            await session.SaveChangesAsync();
        }

        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var pruning = new AppliedEventPruning(
            Store,
            Options.Create(new EventStoreOptions { AppliedIdRetention = TimeSpan.FromDays(30), AppliedIdPruneBatchSize = 100 }),
            TimeProvider.System,
            meters.GetRequiredService<IMeterFactory>(),
            NullLogger<AppliedEventPruning>.Instance);
        var pruned = await pruning.PruneAsync(now, CancellationToken.None);

        Assert.Equal(old.Length, pruned);
        await using var query = Store.QuerySession();
        var notApplied = await query.NotYetAppliedAsync([.. old, .. recent], x => x, CancellationToken.None);
        Assert.Equal(old, notApplied);
    }

    [Fact]
    public async Task A_resent_id_inside_the_deduplication_window_is_a_duplicate_after_pruning_and_applied_once_downstream()
    {
        var customerId = Envelopes.NewCustomerId();
        var id = $"{customerId}-1";
        using var client = Platform.Client(platform.Ingestion, Platform.IngestKey);
        var first = await client.PostAsJsonAsync("/v1/events", Envelopes.Usage(customerId, id));
        Assert.Equal(new IngestionResult(1, 0), await first.Content.ReadFromJsonAsync<IngestionResult>());

        // The service's own pruning (30-day window) run as of 29 days from now: the id is inside the window.
        await platform.Ingestion.Services.GetRequiredService<AppliedEventPruning>().PruneAsync(DateTimeOffset.UtcNow.AddDays(29), CancellationToken.None);
        var again = await client.PostAsJsonAsync("/v1/events", Envelopes.Usage(customerId, id));
        Assert.Equal(new IngestionResult(0, 1), await again.Content.ReadFromJsonAsync<IngestionResult>());

        var barrier = $"{customerId}-barrier";
        await client.PostAsJsonAsync("/v1/events", Envelopes.Usage(customerId, barrier));
        var counts = await Eventually.ReachesAsync(
            () => StoredEvents.CountByIdAsync(platform, "healthscore", [id, barrier]),
            c => c[barrier] == 1,
            "HealthScore to apply the barrier event");
        Assert.Equal(1, counts[id]);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
