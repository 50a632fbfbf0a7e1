using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CustomerSuccess.Contracts.Events;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.HealthScore;
using CustomerSuccess.Lifecycle;
using CustomerSuccess.Renewal;
using JasperFx.Events.Daemon;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerSuccess.IntegrationTests.Infrastructure;

/// <summary>
/// A deployment with <see cref="Instances"/> instances of each consuming service (HealthScore, Lifecycle, Renewal) on
/// one broker virtual host and one schema per service, as a scaled-out cluster runs them: competing consumers on the
/// same queues, the async daemon in <c>HotCold</c> mode. Ingestion runs once (it is not what is scaled here).
/// </summary>
public sealed class ScaledPlatform(int instances) : Platform
{
    private readonly List<IAsyncDisposable> _extra = [];
    private readonly Dictionary<string, List<PageCounter>> _counters = new(StringComparer.Ordinal);

    public static readonly string[] ConsumingServices = ["healthscore", "lifecycle", "renewal"];

    public int Instances => instances;

    /// <summary>Every instance's service provider, per consuming service (the fixture's own first).</summary>
    public IReadOnlyDictionary<string, List<IServiceProvider>> InstanceServices { get; } = ConsumingServices.ToDictionary(s => s, _ => new List<IServiceProvider>(), StringComparer.Ordinal);

    /// <summary>The ingested pages each instance of a service consumed.</summary>
    public IReadOnlyList<PageCounter> CountersOf(string service) => _counters[service];

    /// <summary>Starts the deployment: the fixture's four services, then the further instances.</summary>
    public async Task StartAsync()
    {
        await InitializeAsync();
        InstanceServices["healthscore"].Add(HealthScore.Services);
        InstanceServices["lifecycle"].Add(Lifecycle.Services);
        InstanceServices["renewal"].Add(Renewal.Services);
        for (var n = 1; n < instances; n++)
        {
            var healthScore = Another<HealthScoreHost>("healthscore");
            var lifecycle = Another<LifecycleHost>("lifecycle");
            var renewal = Another<RenewalHost>("renewal");
            await Task.WhenAll(Task.Run(() => healthScore.Server), Task.Run(() => lifecycle.Server), Task.Run(() => renewal.Server));
            InstanceServices["healthscore"].Add(healthScore.Services);
            InstanceServices["lifecycle"].Add(lifecycle.Services);
            InstanceServices["renewal"].Add(renewal.Services);
        }
    }

    public override async Task DisposeAsync()
    {
        foreach (var factory in _extra)
        {
            await factory.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override IDictionary<string, string> Settings(string service)
    {
        var settings = base.Settings(service);
        settings["EventStore:DaemonMode"] = "HotCold";
        // Every message in a commit of its own, as in both deployments compared: a commit of several waiting pages
        // evaluates once where one commit per page evaluates per page, so which evaluations (and the health changes
        // published from them) happen would depend on how many pages waited, not on how many instances there are.
        // Grouping itself: GroupCommitsTests and PageGroupCommitTests.
        settings["RabbitMq:MessagesPerCommit"] = "1";
        return settings;
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        // The fixture's hosts are built in parallel: each is told apart by the name its messaging was registered with.
        var identity = (ServiceIdentity)services.Single(d => d.ServiceType == typeof(ServiceIdentity)).ImplementationInstance!;
        AddCounter(services, identity.Name);
    }

    /// <summary>Publishes ingested pages straight to the consumers' queues, as Ingestion's relay does.</summary>
    public async Task PublishPagesAsync(IEnumerable<IReadOnlyList<CustomerEvent>> pages)
    {
        var bus = Ingestion.Services.GetRequiredService<IBus>();
        foreach (var page in pages)
        {
            await bus.Publish(new CustomerEventsIngested { Events = page });
        }
    }

    /// <summary>Waits until every instance of every consuming service consumes its main queue.</summary>
    public Task AllInstancesConsumingAsync() => Eventually.ReachesAsync(
        async () =>
        {
            using var management = ManagementClient();
            var counts = new List<int>();
            foreach (var queue in new[] { QueueNames.HealthScoreFacts, QueueNames.LifecycleEvents, QueueNames.RenewalEvents })
            {
                using var json = JsonDocument.Parse(await management.GetStringAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}/{queue}"));
                counts.Add(json.RootElement.TryGetProperty("consumers", out var c) ? c.GetInt32() : 0);
            }

            return counts;
        },
        counts => counts.All(c => c == instances), $"{instances} consumers on each consuming service's queue");

    /// <summary>
    /// One observation of the deployment: messages waiting or unacknowledged in its queues (error queues apart), events
    /// its relays have not processed yet, messages in error queues, and how many events its services stored.
    /// </summary>
    public async Task<DeploymentActivity> ObserveAsync()
    {
        using var management = ManagementClient();
        using var queues = JsonDocument.Parse(await management.GetStringAsync(
            $"api/queues/{Uri.EscapeDataString(VirtualHost)}?columns=name,messages,messages_ready,messages_unacknowledged"));
        long waiting = 0, dead = 0;
        foreach (var queue in queues.RootElement.EnumerateArray())
        {
            var name = queue.GetProperty("name").GetString()!;
            var messages = new[] { "messages", "messages_ready", "messages_unacknowledged" }
                .Sum(p => queue.TryGetProperty(p, out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
            if (name.EndsWith("_error", StringComparison.Ordinal) || name.EndsWith("_skipped", StringComparison.Ordinal))
            {
                dead += messages;
            }
            else
            {
                waiting += messages;
            }
        }

        await using var connection = new NpgsqlConnection(Servers.Postgres);
        await connection.OpenAsync();
        long behind = 0, stored = 0;
        foreach (var service in ConsumingServices)
        {
            await using var command = new NpgsqlCommand($"""
                select coalesce((select sum(greatest(h.seq - p.last_seq_id, 0)) from {Schema(service)}.mt_event_progression p
                                 where p.name not like 'HighWater%'), 0),
                       h.seq, (select count(*) from {Schema(service)}.mt_event_progression p where p.name not like 'HighWater%')
                from (select coalesce(max(seq_id), 0) as seq from {Schema(service)}.mt_events) h
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            // A relay that has not written its first position yet is behind by everything.
            behind += reader.GetInt64(2) == 0 ? reader.GetInt64(1) : Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            stored += reader.GetInt64(1);
        }

        return new DeploymentActivity(waiting, behind, dead, stored);
    }

    /// <summary>
    /// Waits until the deployment is quiet: nothing in its queues, every relay at its store's last event, and that held
    /// with no new event stored across observations spanning longer than the management API's statistics interval (5 s),
    /// whose queue counts lag behind the broker.
    /// </summary>
    public async Task<DeploymentActivity> QuietAsync(TimeSpan timeout)
    {
        DeploymentActivity? quiet = null;
        var quietAt = DateTime.UtcNow;
        var observed = await Eventually.ReachesAsync(
            async () =>
            {
                var now = await ObserveAsync();
                if (!now.Quiet || quiet is null || now.Stored != quiet.Stored)
                {
                    quiet = now.Quiet ? now : null;
                    quietAt = DateTime.UtcNow;
                }

                return (Activity: now, QuietFor: DateTime.UtcNow - quietAt);
            },
            o => o.Activity.Quiet && o.QuietFor > TimeSpan.FromSeconds(6),
            $"the {instances}-instance deployment to drain", timeout);
        return observed.Activity;
    }

    /// <summary>The instances of <paramref name="service"/> running the shard <paramref name="relayName"/> right now.</summary>
    public IReadOnlyList<int> InstancesRunning(string service, string relayName) => InstanceServices[service]
        .Select((provider, index) => (index, agents: provider.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase().CurrentAgents()))
        .Where(x => x.agents.Any(a => a.Name.Name == relayName && a.Status == JasperFx.AgentStatus.Running))
        .Select(x => x.index)
        .ToList();

    private ServiceFactory<T> Another<T>(string service)
        where T : class
    {
        var factory = new ServiceFactory<T>(new Dictionary<string, string>(Settings(service)), services =>
        {
            base.ConfigureServices(services);
            AddCounter(services, service);
        });
        _extra.Add(factory);
        return factory;
    }

    private void AddCounter(IServiceCollection services, string service)
    {
        var counter = new PageCounter();
        lock (_counters)
        {
            if (!_counters.TryGetValue(service, out var list))
            {
                _counters[service] = list = [];
            }

            list.Add(counter);
        }

        services.AddConsumeObserver(_ => counter);
    }
}

/// <summary>What a deployment is doing; <see cref="Quiet"/> when nothing is in flight.</summary>
public sealed record DeploymentActivity(long Waiting, long RelaysBehind, long DeadLetters, long Stored)
{
    public bool Quiet => Waiting == 0 && RelaysBehind == 0;
}

/// <summary>
/// The ingested pages one instance consumed: when each was in flight (from delivery to its commit, retries included) and
/// which customers it carried, so a test can see pages of one customer in flight on two instances at once.
/// </summary>
public sealed class PageCounter : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, long> _started = new();
    private readonly ConcurrentQueue<InFlight> _pages = new();

    public int Consumed => _pages.Count;

    public IReadOnlyList<InFlight> Pages => _pages.ToList();

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.Message is CustomerEventsIngested && context.MessageId is { } id)
        {
            _started.TryAdd(id, Stopwatch.GetTimestamp());
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.Message is CustomerEventsIngested page && context.MessageId is { } id && _started.TryRemove(id, out var started))
        {
            _pages.Enqueue(new InFlight(started, Stopwatch.GetTimestamp(), page.Events.Select(e => e.CustomerId).ToHashSet(StringComparer.Ordinal)));
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

/// <summary>One page in flight on one instance, in <see cref="Stopwatch"/> timestamps.</summary>
public sealed record InFlight(long From, long To, IReadOnlySet<string> Customers)
{
    public bool Overlaps(InFlight other) => From < other.To && other.From < To && Customers.Overlaps(other.Customers);
}
