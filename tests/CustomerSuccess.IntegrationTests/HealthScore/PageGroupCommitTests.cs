using System.Net.Http.Json;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.EventStore;
using CustomerSuccess.HealthScore.Domain;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.IntegrationTests.Operations;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerSuccess.IntegrationTests.HealthScore;

/// <summary>
/// Pages delivered while HealthScore's facts consumer is busy wait for it and go into its next commit together, through
/// the real broker: the queue delivers several pages at once, and each is applied exactly once.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PageGroupCommitTests(Platform platform)
{
    private const string MessagesPerCommit = "customersuccess_messaging_messages_per_commit";

    [Fact]
    public async Task Pages_delivered_while_a_commit_waits_are_applied_in_one_later_commit_each_exactly_once()
    {
        var now = DateTimeOffset.UtcNow;
        var held = Envelopes.NewCustomerId("grouped-held");
        var others = Enumerable.Range(0, 4).Select(i => Envelopes.NewCustomerId($"grouped-{i}")).ToList();
        using var scrape = Platform.Client(platform.HealthScore, apiKey: null);
        var facts = ("messaging_destination_name", QueueNames.HealthScoreFacts);
        var before = await MetricsTests.ScrapeAsync(scrape);

        // The first page's commit waits for its customer's stream lock, which the test holds: the pages after it are
        // delivered meanwhile (the queue lets MessagesPerCommit pages be in flight) and wait their turn.
        var locks = platform.HealthScore.Services.GetRequiredService<CustomerStreamLocks>();
        var bus = platform.Ingestion.Services.GetRequiredService<IBus>();
        using (await locks.EnterAsync([held], CancellationToken.None))
        {
            await bus.Publish(new CustomerEventsIngested { Events = [Usage(held, "first", now)] });
            foreach (var customer in others)
            {
                await bus.Publish(new CustomerEventsIngested { Events = [Usage(customer, "later", now), Usage(held, $"later-{customer}", now)] });
            }

            using var management = platform.ManagementClient();
            await Eventually.ReachesAsync(
                async () => await management.GetFromJsonAsync<JsonElement>(
                    $"api/queues/{Uri.EscapeDataString(platform.VirtualHost)}/{QueueNames.HealthScoreFacts}"),
                queue => queue.TryGetProperty("messages_unacknowledged", out var inFlight) && inFlight.GetInt32() >= 1 + others.Count,
                "all five pages delivered to the facts consumer at once");
        }

        var store = platform.HealthScore.Services.GetRequiredService<IDocumentStore>();
        var rollup = await Eventually.ReachesAsync(
            async () =>
            {
                await using var session = store.QuerySession();
                return await session.LoadAsync<CustomerFacts>(held);
            },
            f => f?.UsageDays.Sum(d => d.FeatureQuantities.GetValueOrDefault("message.sent")) == 1 + others.Count,
            "the held customer's five usage events applied");
        Assert.Equal(1 + others.Count, rollup!.UsageDays.Sum(d => d.FeatureQuantities["message.sent"]));
        foreach (var customer in others)
        {
            await using var session = store.QuerySession();
            var applied = await session.LoadAsync<CustomerFacts>(customer);
            Assert.Equal(1, applied!.UsageDays.Single().FeatureQuantities["message.sent"]);
        }

        // The four waiting pages went into commits of more than one page (the first commit took the held page alone).
        var after = await MetricsTests.ScrapeAsync(scrape);
        double Delta(string series, params (string, string)[] labels) =>
            MetricsTests.Sum(after, MetricsTests.Series(series, labels)) - MetricsTests.Sum(before, MetricsTests.Series(series, labels));
        var commits = Delta($"{MessagesPerCommit}_count", facts);
        var pages = Delta($"{MessagesPerCommit}_sum", facts);
        var alone = Delta($"{MessagesPerCommit}_bucket", facts, ("le", "1"));
        Assert.True(pages >= 1 + others.Count, $"{pages} pages counted in commits");
        Assert.True(commits - alone >= 1, $"{commits} commits, {alone} of them of one page: no page waited into a group");
    }

    private static UsageRecorded Usage(string customerId, string id, DateTimeOffset now) => new()
    {
        EventId = $"{customerId}-{id}", CustomerId = customerId, Feature = "message.sent", UserId = "user-1",
        OccurredAt = now.AddDays(-1), ReceivedAt = now,
    };
}
