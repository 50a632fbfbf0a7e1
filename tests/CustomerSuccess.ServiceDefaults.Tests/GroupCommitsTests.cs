using CustomerSuccess.EventSourcing.EventStore;
using System.Diagnostics.Metrics;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.ServiceDefaults.Tests;

/// <summary>Group commit of consumed pages: who shares a commit with whom, and whose failure is whose.</summary>
public sealed class GroupCommitsTests
{
    private sealed record Page(string Name, int Events = 10, params string[] Customers);

    /// <summary>Records each commit's pages; a commit can be held open until released, or fail for a page it holds.</summary>
    private sealed class Commits
    {
        private readonly TaskCompletionSource _firstHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _holdNext;
        private TaskCompletionSource? _release;

        public List<string[]> Applied { get; } = [];

        public string? FailsWith { get; init; }

        /// <summary>The next commit waits until <see cref="Release"/>.</summary>
        public Task HoldNext()
        {
            _holdNext = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _firstHeld.Task;
        }

        public void Release() => _release?.TrySetResult();

        public async Task Apply(IReadOnlyList<Page> pages, CancellationToken cancellationToken)
        {
            lock (Applied)
            {
                Applied.Add(pages.Select(p => p.Name).ToArray());
            }

            if (_holdNext is { } release)
            {
                _holdNext = null;
                _release = release;
                _firstHeld.TrySetResult();
                await release.Task.WaitAsync(cancellationToken);
            }

            if (FailsWith is { } bad && pages.Any(p => p.Name == bad))
            {
                throw new InvalidOperationException($"{bad} cannot be applied");
            }
        }
    }

    private static GroupCommits Grouping(int messagesPerCommit = 16, int eventsPerCommit = 8_000, int customersPerCommit = 1_000, IMeterFactory? meters = null) =>
        new(Options.Create(new RabbitMqOptions { MessagesPerCommit = messagesPerCommit, EventsPerCommit = eventsPerCommit, CustomersPerCommit = customersPerCommit }), meters ?? Meters());

    private static IMeterFactory Meters() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    /// <summary>Consumes <paramref name="page"/> and returns once its commit is running and held open (see <see cref="Commits.Release"/>).</summary>
    private static async Task<Task> CommitHeldOpenAsync(GroupCommits grouping, Commits commits, Page page)
    {
        var held = commits.HoldNext();
        var consumed = Consume(grouping, commits, page);
        await held;
        return consumed;
    }

    private static Task Consume(GroupCommits grouping, Commits commits, Page page, CancellationToken cancellationToken = default) =>
        grouping.ApplyAsync("facts", page, page.Events, page.Customers, commits.Apply, cancellationToken);

    [Fact]
    public async Task A_page_with_nothing_else_waiting_is_applied_alone_at_once()
    {
        var commits = new Commits();

        await Consume(Grouping(), commits, new Page("p1"));

        Assert.Equal([["p1"]], commits.Applied);
    }

    [Fact]
    public async Task Pages_delivered_while_a_commit_runs_go_into_the_next_commit_together()
    {
        var grouping = Grouping();
        var commits = new Commits();
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1"));

        var waiting = new[] { "p2", "p3", "p4" }.Select(name => Consume(grouping, commits, new Page(name))).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        commits.Release();
        await first;
        await Task.WhenAll(waiting);

        Assert.Equal([["p1"], ["p2", "p3", "p4"]], commits.Applied);
    }

    [Fact]
    public async Task Each_commit_records_its_pages_and_events_by_queue()
    {
        var meters = Meters();
        var recorded = new List<(string Instrument, int Value, object? Queue)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ConsumerMetrics.MeterName && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            lock (recorded)
            {
                recorded.Add((instrument.Name, value, tags.ToArray().Single(t => t.Key == "messaging.destination.name").Value));
            }
        });
        listener.Start();
        var grouping = Grouping(meters: meters);
        var commits = new Commits();
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1", 5, "a"));

        var waiting = new[] { new Page("p2", 7, "a"), new Page("p3", 9, "b") }.Select(page => Consume(grouping, commits, page)).ToList();
        commits.Release();
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal(
            [
                ("customersuccess.messaging.messages_per_commit", 1, "facts"), ("customersuccess.messaging.events_per_commit", 5, "facts"),
                ("customersuccess.messaging.customers_per_commit", 1, "facts"),
                ("customersuccess.messaging.messages_per_commit", 2, "facts"), ("customersuccess.messaging.events_per_commit", 16, "facts"),
                ("customersuccess.messaging.customers_per_commit", 2, "facts"),
            ],
            recorded.Select(r => (r.Instrument, r.Value, (string?)r.Queue)).ToList());
    }

    [Fact]
    public async Task A_commit_holds_at_most_messages_per_commit_pages()
    {
        var grouping = Grouping(messagesPerCommit: 2);
        var commits = new Commits();
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1"));

        var waiting = new[] { "p2", "p3", "p4", "p5", "p6" }.Select(name => Consume(grouping, commits, new Page(name))).ToList();
        commits.Release();
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal([["p1"], ["p2", "p3"], ["p4", "p5"], ["p6"]], commits.Applied);
    }

    [Fact]
    public async Task A_commit_of_several_pages_holds_at_most_events_per_commit_events_but_a_big_page_is_applied_whole()
    {
        var grouping = Grouping(eventsPerCommit: 100);
        var commits = new Commits();
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1"));

        var waiting = new[] { new Page("p2", 60), new Page("p3", 40), new Page("p4", 1), new Page("big", 500), new Page("p5", 1) }
            .Select(page => Consume(grouping, commits, page)).ToList();
        commits.Release();
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal([["p1"], ["p2", "p3"], ["p4"], ["big"], ["p5"]], commits.Applied);
    }

    [Fact]
    public async Task A_commit_of_several_pages_is_about_at_most_customers_per_commit_customers()
    {
        var grouping = Grouping(customersPerCommit: 3);
        var commits = new Commits();
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1", 1, "a", "b", "c", "d", "e"));

        var waiting = new[] { new Page("p2", 1, "a", "b"), new Page("p3", 1, "b", "c"), new Page("p4", 1, "d"), new Page("p5", 1, "d", "e") }
            .Select(page => Consume(grouping, commits, page)).ToList();
        commits.Release();
        await Task.WhenAll(waiting.Append(first));

        // p1 alone is about five (a page is applied whole); p2 and p3 are three together, p4 would make four.
        Assert.Equal([["p1"], ["p2", "p3"], ["p4", "p5"]], commits.Applied);
    }

    [Fact]
    public async Task When_a_group_fails_each_page_is_applied_again_alone_and_only_the_failing_page_faults()
    {
        var grouping = Grouping();
        var commits = new Commits { FailsWith = "bad" };
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1"));

        var good1 = Consume(grouping, commits, new Page("p2"));
        var bad = Consume(grouping, commits, new Page("bad"));
        var good2 = Consume(grouping, commits, new Page("p3"));
        commits.Release();

        await first;
        await good1;
        await good2;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("bad cannot be applied", failure.Message);
        Assert.Equal([["p1"], ["p2", "bad", "p3"], ["p2"], ["bad"], ["p3"]], commits.Applied);
    }

    [Fact]
    public async Task Pages_of_different_queues_never_share_a_commit()
    {
        var grouping = Grouping();
        var commits = new Commits();
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1"));

        // Another queue's page does not wait for this queue's commit, nor join its next one.
        await grouping.ApplyAsync("other-queue", new Page("other"), 1, [], commits.Apply, CancellationToken.None);
        var waiting = Consume(grouping, commits, new Page("p2"));
        commits.Release();
        await Task.WhenAll(first, waiting);

        Assert.Equal([["p1"], ["other"], ["p2"]], commits.Applied);
    }

    [Fact]
    public async Task A_page_cancelled_while_it_waits_is_not_applied()
    {
        var grouping = Grouping();
        var commits = new Commits();
        var first = await CommitHeldOpenAsync(grouping, commits, new Page("p1"));

        using var stopping = new CancellationTokenSource();
        var cancelled = Consume(grouping, commits, new Page("cancelled"), stopping.Token);
        var waiting = Consume(grouping, commits, new Page("p2"));
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        commits.Release();
        await Task.WhenAll(first, waiting);

        Assert.Equal([["p1"], ["p2"]], commits.Applied);
    }
}
