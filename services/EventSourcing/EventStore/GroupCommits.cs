using CustomerSuccess.Contracts.Events;
using System.Diagnostics.Metrics;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.EventSourcing.Observability;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.EventSourcing.EventStore;

/// <summary>
/// Group commit for the consumers of ingested pages (<see cref="CustomerEventsConsumer"/>) and of other services' changes:
/// the messages waiting for one queue's consumer in this instance are applied in one transaction, so the commits grow with
/// the load instead of staying one per message. At low load a message waits for nothing (it is applied alone, at once);
/// while a commit runs, the messages delivered meanwhile queue and go into the next commit together, up to
/// <see cref="RabbitMqOptions.MessagesPerCommit"/> messages and, beyond the first, <see cref="RabbitMqOptions.EventsPerCommit"/>
/// events and <see cref="RabbitMqOptions.CustomersPerCommit"/> customers (whose state a commit holds in memory).
/// </summary>
/// <remarks>
/// <para>Each message keeps its own outcome, as if consumed alone: when a group commit fails, its messages are applied
/// again one by one, each in its own transaction, so only a message that fails by itself faults (and is retried, then
/// dead-lettered, by the usual policy) and the others are acknowledged. Nothing is applied twice: every commit carries
/// its ids in the applied-id ledger.</para>
/// <para>One group at a time per queue in an instance, so messages about the same customer never race each other's
/// version check here; <see cref="GroupCommitDefinition{TConsumer}"/> lets the broker deliver up to
/// <see cref="RabbitMqOptions.MessagesPerCommit"/> messages at once for them to wait in.</para>
/// </remarks>
public sealed class GroupCommits
{
    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);
    private readonly IOptions<RabbitMqOptions> _options;
    private readonly Histogram<int> _messagesPerCommit;
    private readonly Histogram<int> _eventsPerCommit;
    private readonly Histogram<int> _customersPerCommit;

    public GroupCommits(IOptions<RabbitMqOptions> options, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _options = options;
        var meter = meters.Create(ConsumerMetrics.MeterName);
        _messagesPerCommit = meter.CreateHistogram<int>("customersuccess.messaging.messages_per_commit", "{message}",
            "Messages (pages of ingested events, or other services' changes) applied in one commit, by queue: 1 at low load, more while messages wait.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _eventsPerCommit = meter.CreateHistogram<int>("customersuccess.messaging.events_per_commit", "{event}",
            "Events of the messages applied in one commit (a page's before de-duplication and filtering by type; a change counts one), by queue.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [10, 100, 500, 1000, 2000, 4000, 8000, 16000] });
        _customersPerCommit = meter.CreateHistogram<int>("customersuccess.messaging.customers_per_commit", "{customer}",
            "Distinct customers the messages applied in one commit are about, by queue.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 50, 100, 200, 500, 1000, 2000] });
    }

    /// <summary>Applies one consumed page of ingested events, alone or in a group with other waiting pages of its queue.</summary>
    public Task ApplyAsync(
        ConsumeContext<CustomerEventsIngested> context, Func<IReadOnlyList<ConsumeContext<CustomerEventsIngested>>, CancellationToken, Task> apply)
    {
        ArgumentNullException.ThrowIfNull(context);
        var customers = context.Message.Events.Select(e => e.CustomerId).ToHashSet(StringComparer.Ordinal);
        return ApplyAsync(ConsumerMetrics.QueueOf(context.ReceiveContext.InputAddress), context, context.Message.Events.Count, customers, apply, context.CancellationToken);
    }

    /// <summary>Applies <paramref name="item"/>, the one change <paramref name="context"/>'s message announces about <paramref name="customerId"/>, with the others waiting in its queue.</summary>
    public Task ApplyAsync<TItem>(ConsumeContext context, TItem item, string customerId, Func<IReadOnlyList<TItem>, CancellationToken, Task> apply)
        where TItem : class
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApplyAsync(ConsumerMetrics.QueueOf(context.ReceiveContext.InputAddress), item, 1, [customerId ?? ""], apply, context.CancellationToken);
    }

    /// <summary>Applies <paramref name="page"/>, alone or in a group with other waiting pages of the same consumer.</summary>
    /// <param name="queue">The queue the page came from: pages of different queues never share a commit.</param>
    /// <param name="page">The page; the returned task completes when it is committed, or faults with its own failure.</param>
    /// <param name="events">The page's events, counted against <see cref="RabbitMqOptions.EventsPerCommit"/>.</param>
    /// <param name="customers">The customers the page is about, counted against <see cref="RabbitMqOptions.CustomersPerCommit"/>.</param>
    /// <param name="apply">Applies the pages given in one transaction and commits.</param>
    /// <param name="cancellationToken">Cancels the wait, and the page's commit (a group's once every page in it is cancelled).</param>
    public async Task ApplyAsync<TPage>(
        string queue, TPage page, int events, IReadOnlyCollection<string> customers, Func<IReadOnlyList<TPage>, CancellationToken, Task> apply,
        CancellationToken cancellationToken)
        where TPage : class
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(apply);
        var pages = QueueOf(queue);
        var waiting = new Waiting(page, events, customers, (pages, ct) => apply(pages.Cast<TPage>().ToList(), ct), cancellationToken);
        lock (pages)
        {
            pages.Pages.AddLast(waiting.Node);
        }

        try
        {
            await pages.Turn.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (pages)
            {
                if (waiting.Node.List is not null)
                {
                    pages.Pages.Remove(waiting.Node);
                    throw;
                }
            }

            // Taken into a group already: its outcome is that group's.
            await waiting.Done.Task;
            return;
        }

        try
        {
            // Groups run in arrival order: the one that took this page may have run while it waited for its turn.
            while (!waiting.Done.Task.IsCompleted)
            {
                await ApplyGroupAsync(TakeGroup(pages, queue));
            }
        }
        finally
        {
            pages.Turn.Release();
        }

        await waiting.Done.Task;
    }

    private Queue QueueOf(string queue)
    {
        lock (_queues)
        {
            if (!_queues.TryGetValue(queue, out var pages))
            {
                _queues.Add(queue, pages = new Queue());
            }

            return pages;
        }
    }

    private List<Waiting> TakeGroup(Queue queue, string name)
    {
        var limits = _options.Value;
        var group = new List<Waiting>();
        var events = 0;
        var customers = new HashSet<string>(StringComparer.Ordinal);
        lock (queue)
        {
            while (queue.Pages.First is { } first
                   && group.Count < limits.MessagesPerCommit
                   && (group.Count == 0 || (events + first.Value.Events <= limits.EventsPerCommit
                                            && customers.Count + first.Value.Customers.Count(c => !customers.Contains(c)) <= limits.CustomersPerCommit)))
            {
                events += first.Value.Events;
                customers.UnionWith(first.Value.Customers);
                group.Add(first.Value);
                queue.Pages.RemoveFirst();
            }
        }

        var tag = new KeyValuePair<string, object?>(ConsumerMetrics.QueueTag, name);
        _messagesPerCommit.Record(group.Count, tag);
        _eventsPerCommit.Record(events, tag);
        _customersPerCommit.Record(customers.Count, tag);
        return group;
    }

    private static async Task ApplyGroupAsync(List<Waiting> group)
    {
        if (group.Count == 1)
        {
            await ApplyAloneAsync(group[0]);
            return;
        }

        try
        {
            // Cancelled once every page's consume is (shutdown), not when one is: the others still want their commit.
            using var allCancelled = new CancellationTokenSource();
            var remaining = group.Count;
            var registrations = group.ConvertAll(p => p.CancellationToken.Register(() =>
            {
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    allCancelled.Cancel();
                }
            }));
            try
            {
                await group[0].Apply(group.ConvertAll(p => p.Page), allCancelled.Token);
            }
            finally
            {
                registrations.ForEach(r => r.Dispose());
            }
        }
        catch (Exception)
        {
            // Which page failed the group is not known: each is applied again alone, so a page only fails of its own failure.
            foreach (var page in group)
            {
                await ApplyAloneAsync(page);
            }

            return;
        }

        foreach (var page in group)
        {
            page.Done.TrySetResult();
        }
    }

    private static async Task ApplyAloneAsync(Waiting page)
    {
        try
        {
            await page.Apply([page.Page], page.CancellationToken);
            page.Done.TrySetResult();
        }
        catch (Exception exception)
        {
            page.Done.TrySetException(exception);
        }
    }

    private sealed class Queue
    {
        public LinkedList<Waiting> Pages { get; } = new();

        /// <summary>Held by the consume that applies the next group.</summary>
        public SemaphoreSlim Turn { get; } = new(1, 1);
    }

    private sealed class Waiting
    {
        public Waiting(
            object page, int events, IReadOnlyCollection<string> customers, Func<IReadOnlyList<object>, CancellationToken, Task> apply, CancellationToken cancellationToken)
        {
            (Page, Events, Customers, CancellationToken, Apply) = (page, events, customers, cancellationToken, apply);
            Node = new LinkedListNode<Waiting>(this);
        }

        public object Page { get; }

        public int Events { get; }

        public IReadOnlyCollection<string> Customers { get; }

        public CancellationToken CancellationToken { get; }

        public Func<IReadOnlyList<object>, CancellationToken, Task> Apply { get; }

        public LinkedListNode<Waiting> Node { get; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
