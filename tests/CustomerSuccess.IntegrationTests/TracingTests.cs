using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.CrmFeed.Envelopes;
using CustomerSuccess.IntegrationTests.CrmFeed;
using CustomerSuccess.IntegrationTests.Infrastructure;
using CustomerSuccess.ServiceDefaults;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Trace;

namespace CustomerSuccess.IntegrationTests;

/// <summary>The four services with every span they record collected in process, sampled as in production.</summary>
public sealed class TracedPlatform : Platform
{
    public SpanCollection Spans { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(TraceSampling.Sampler(1.0)).AddInMemoryExporter(Spans));
    }
}

/// <summary>
/// The spans the in-process exporters saw. Every host in the process exports every sampled span (activity listeners
/// are process-wide), so a span can arrive several times: it is kept once.
/// </summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly Dictionary<ActivitySpanId, Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans.Values];
        }
    }

    public void Add(Activity item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_spans)
        {
            _spans.TryAdd(item.SpanId, item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item) => Snapshot().Contains(item);

    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().ToArray().CopyTo(array, arrayIndex);

    public bool Remove(Activity item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_spans)
        {
            return _spans.Remove(item.SpanId);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One trace per event: a request's events can be followed through the relay pages and consumers that carry them.</summary>
public sealed class TracingTests(TracedPlatform platform) : IClassFixture<TracedPlatform>
{
    private static readonly string[] IngestedQueues = [QueueNames.HealthScoreFacts, QueueNames.LifecycleEvents, QueueNames.RenewalEvents];
    private static readonly string[] HealthChangedQueues = [QueueNames.LifecycleHealthChanged, QueueNames.RenewalHealthChanged];

    private readonly HttpClient _ingestion = Platform.Client(platform.Ingestion, Platform.IngestKey);

    [Fact]
    public async Task Pages_and_consumers_link_to_every_request_whose_events_they_carry_and_follow_ups_link_back()
    {
        var first = Envelopes.NewCustomerId("traced");
        var second = Envelopes.NewCustomerId("traced");
        var firstTrace = ActivityTraceId.CreateRandom();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = Platform.Client(platform.Renewal);
        await CrmFeedClient.RegisterAsync(admin, receiver.Url, CrmEventTypes.HealthChanged);

        // Two requests, two traces: the first continues its caller's trace, the second starts its own. The relay is
        // paused meanwhile, so one page carries the events of both.
        var coordinator = platform.Ingestion.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.PauseAsync();
        try
        {
            await PostAsync(firstTrace, Envelopes.Usage(first, $"{first}-usage"), Envelopes.ContractSigned(first, $"{first}-contract"));
            await PostAsync(trace: null, Envelopes.Usage(second, $"{second}-usage"));
        }
        finally
        {
            await coordinator.ResumeAsync();
        }

        // The log keeps, with each event, the traceparent of the span that committed it.
        var firstCommit = Context(await StoredCausationAsync($"{first}-usage"));
        var secondCommit = Context(await StoredCausationAsync($"{second}-usage"));
        Assert.Equal(firstTrace, firstCommit.TraceId);
        var secondTrace = secondCommit.TraceId;
        Assert.NotEqual(firstTrace, secondTrace);

        var spans = await Eventually.ReachesAsync(
            () => Task.FromResult(platform.Spans.Snapshot()),
            all => HealthChangedQueues.All(queue => FollowUpApplies(all, queue, firstTrace).Any())
                && receiver.Received.Any(r => FromCustomer(r, first)) && all.Any(a => a.OperationName == "webhook delivery"),
            "the health changes the two requests caused to be consumed by Lifecycle and Renewal and sent to the webhook");
        foreach (var commit in new[] { firstCommit, secondCommit })
        {
            var span = Assert.Single(spans, s => s.SpanId == commit.SpanId);
            Assert.Equal("event-log commit", span.OperationName);
            Assert.Contains(spans, s => s.TraceId == commit.TraceId && s.Kind == ActivityKind.Server && s.DisplayName.Contains("/v1/events", StringComparison.Ordinal));
        }

        var page = Assert.Single(spans, s => s.OperationName == "broker-relay page" && LinksTo(s, firstTrace) && s.GetTagItem(LinkedSpans.BatchSpanAttribute) is null);
        Assert.True(LinksTo(page, secondTrace), "the relay page links to the second request's trace");
        foreach (var queue in IngestedQueues)
        {
            Assert.Contains(spans, s => s.OperationName == $"{queue} apply" && LinksTo(s, firstTrace) && LinksTo(s, secondTrace));
        }

        // Followed forward from the first request's own trace: the page and each consumer left a span there, linked to theirs.
        var inFirstTrace = spans.Where(s => s.TraceId == firstTrace).ToList();
        Assert.Contains(inFirstTrace, s => s.OperationName == "event-log commit");
        Assert.Contains(inFirstTrace, s => s.OperationName == "broker-relay page" && s.Links.Any(l => l.Context.SpanId == page.SpanId));
        foreach (var queue in IngestedQueues)
        {
            Assert.Contains(inFirstTrace, s => s.OperationName == $"{queue} apply" && s.GetTagItem(LinkedSpans.BatchSpanAttribute) is not null);
        }

        // The health change the first customer's page caused: stored with the HealthScore consumer's span, published by
        // a relay page linked to it, consumed by Lifecycle and Renewal in spans linked to it, which lead to the request.
        foreach (var queue in HealthChangedQueues)
        {
            Assert.NotEmpty(FollowUpApplies(spans, queue, firstTrace));
        }

        // The CloudEvent carries the change's stored context (distributed tracing extension); its delivery links to it.
        var bySpan = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var scoring = spans.Where(s => s.OperationName == $"{QueueNames.HealthScoreFacts} apply" && LinksTo(s, firstTrace)).ToList();
        var announced = Context(CloudEventAttributes.TraceParentOf(receiver.Received.First(r => FromCustomer(r, first)).Body));
        Assert.Contains(scoring, consumer => Within(bySpan, announced.SpanId, consumer.SpanId));
        var delivery = await Eventually.ReachesAsync(
            () => Task.FromResult(platform.Spans.Snapshot().Where(s => s.OperationName == "webhook delivery" && s.Links.Any(l => l.Context.SpanId == announced.SpanId)).ToList()),
            found => found.Count > 0, "the webhook delivery span linked to the change's context");
        Assert.Equal(announced.TraceId, delivery[0].Links.Single().Context.TraceId);
    }

    private static bool FromCustomer(ReceivedWebhook webhook, string customerId) =>
        System.Text.Encoding.UTF8.GetString(webhook.Body).Contains($"\"subject\":\"{customerId}\"", StringComparison.Ordinal);

    /// <summary>
    /// The spans consuming a health change on <paramref name="queue"/> whose link leads to a HealthScore consumer span that
    /// itself links to <paramref name="requestTrace"/>, and whose relay page links to the same consumer span.
    /// </summary>
    private static IEnumerable<Activity> FollowUpApplies(IReadOnlyList<Activity> spans, string queue, ActivityTraceId requestTrace)
    {
        var bySpan = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var scoring = spans.Where(s => s.OperationName == $"{QueueNames.HealthScoreFacts} apply" && LinksTo(s, requestTrace)).ToList();
        var healthPages = spans.Where(s => s.OperationName == "health-change-relay page").ToList();
        return spans.Where(s => s.OperationName == $"{queue} apply").Where(apply => apply.Links.Any(link =>
            scoring.Any(consumer => Within(bySpan, link.Context.SpanId, consumer.SpanId))
            && healthPages.Any(p => p.Links.Any(l => l.Context.SpanId == link.Context.SpanId))));
    }

    /// <summary>Whether the span is <paramref name="ancestor"/> or one of its descendants.</summary>
    private static bool Within(Dictionary<ActivitySpanId, Activity> bySpan, ActivitySpanId span, ActivitySpanId ancestor)
    {
        for (var current = span; current != default; current = bySpan.TryGetValue(current, out var s) ? s.ParentSpanId : default)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static bool LinksTo(Activity span, ActivityTraceId trace) => span.Links.Any(l => l.Context.TraceId == trace);

    private static ActivityContext Context(string? traceParent)
    {
        Assert.NotNull(traceParent);
        Assert.True(ActivityContext.TryParse(traceParent, null, out var context), traceParent);
        return context;
    }

    private async Task PostAsync(ActivityTraceId? trace, params Dictionary<string, object>[] envelopes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(envelopes) };
        if (trace is { } caller)
        {
            request.Headers.Add("traceparent", $"00-{caller}-{ActivitySpanId.CreateRandom()}-01");
        }

        using var response = await _ingestion.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<string?> StoredCausationAsync(string eventId)
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            $"SELECT causation_id FROM {platform.Schema("ingestion")}.mt_events WHERE strpos(data::text, @id) > 0", connection);
        query.Parameters.AddWithValue("id", $"\"{eventId}\"");
        return await query.ExecuteScalarAsync() as string;
    }
}
