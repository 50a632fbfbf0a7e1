using System.Diagnostics;
using JasperFx.Events;
using Marten;
using MassTransit;

namespace CustomerSuccess.EventSourcing.Observability;

/// <summary>
/// One trace per event across the outbox relays. Every appended event stores the W3C <c>traceparent</c> of the sampled
/// span that appended it (Marten's <c>causation_id</c>, one string per event; nothing when tracing is off). A relay
/// page and a consumer handle events of many requests at once, so their spans carry an OpenTelemetry link to each
/// originating context, and, so the request's own trace shows what it caused, a short span in each originating trace
/// that links back to them. The originating contexts travel in <see cref="OriginsHeader"/> of every relayed message.
/// </summary>
public static class EventTracing
{
    public const string SourceName = "CustomerSuccess.EventSourcing";

    /// <summary>Message header: the distinct traceparents (space-separated) of the events a message carries.</summary>
    public const string OriginsHeader = "CustomerSuccess-Trace-Origins";

    /// <summary>Set on the span a batch span leaves in each originating trace (it links to the batch span).</summary>
    public const string BatchSpanAttribute = "customersuccess.batch_span";

    /// <summary>Set on batch spans: how many originating traces they link to.</summary>
    public const string OriginCountAttribute = "customersuccess.origin_count";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The traceparent to store with events appended now: the current span's, when it is sampled.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts a span of Ingestion's own work (e.g. the log commit); null while tracing is off.</summary>
    public static Activity? Start(string name) => Source.StartActivity(name);

    /// <summary>The distinct traceparents of the events (null when none carries one, e.g. while tracing is off).</summary>
    public static string? Origins(IEnumerable<IEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        string? single = null;
        HashSet<string>? several = null;
        foreach (var e in events)
        {
            if (e.CausationId is not { } origin || origin == single)
            {
                continue;
            }

            if (single is null)
            {
                single = origin;
            }
            else
            {
                (several ??= new HashSet<string>(StringComparer.Ordinal) { single }).Add(origin);
            }
        }

        return several is null ? single : string.Join(' ', several);
    }

    /// <summary>Starts the span of one relay page, linked to the trace of every event in it.</summary>
    public static BatchSpan? StartPage(string relay, IEnumerable<IEvent> events) => StartBatch($"{relay} page", Origins(events));

    /// <summary>Starts the span of one consumed message, linked to the trace of every event it carries.</summary>
    public static BatchSpan? StartConsume(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queue = context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "message";
        return StartBatch($"{queue} apply", context.Headers.Get<string>(OriginsHeader));
    }

    /// <summary>Publishes with the originating traceparents of the message's events in <see cref="OriginsHeader"/>.</summary>
    public static Task Publish<T>(IPublishEndpoint bus, T message, string? origins, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        return origins is null
            ? bus.Publish(message, cancellationToken)
            : bus.Publish(message, context => context.Headers.Set(OriginsHeader, origins), cancellationToken);
    }

    private static BatchSpan? StartBatch(string name, string? origins)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var contexts = Parse(origins);
        var links = contexts.Select(c => new ActivityLink(c)).ToList();
        var activity = Source.StartActivity(name, ActivityKind.Internal, parentContext: default, links: links);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag(OriginCountAttribute, contexts.Count);
        return new BatchSpan(activity, contexts);
    }

    private static List<ActivityContext> Parse(string? origins)
    {
        var contexts = new List<ActivityContext>();
        if (origins is null)
        {
            return contexts;
        }

        foreach (var origin in origins.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ActivityContext.TryParse(origin, traceState: null, isRemote: true, out var context) && !contexts.Contains(context))
            {
                contexts.Add(context);
            }
        }

        return contexts;
    }

    /// <summary>
    /// A span over events of several traces. When it ends it also leaves a span of the same name and duration in each
    /// originating trace, linked to it, so following a request's trace forward reaches the batch.
    /// </summary>
    public sealed class BatchSpan : IDisposable
    {
        private readonly Activity _activity;
        private readonly List<ActivityContext> _origins;

        internal BatchSpan(Activity activity, List<ActivityContext> origins) => (_activity, _origins) = (activity, origins);

        public Activity Activity => _activity;

        public void Dispose()
        {
            var batch = new ActivityLink(_activity.Context);
            foreach (var origin in _origins.Where(o => o.TraceId != _activity.TraceId))
            {
                using var echo = Source.StartActivity(
                    _activity.OperationName, ActivityKind.Internal, origin, [new(BatchSpanAttribute, _activity.SpanId.ToHexString())], [batch], _activity.StartTimeUtc);
            }

            // The echoes were current while they ran; the batch span ends as the current one.
            Activity.Current = _activity;
            _activity.Dispose();
        }
    }

    /// <summary>Wraps every consumed message (each attempt) in its <see cref="StartConsume"/> span.</summary>
    internal sealed class ConsumeFilter : IFilter<ConsumeContext>
    {
        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            ArgumentNullException.ThrowIfNull(next);
            using var span = StartConsume(context);
            try
            {
                await next.Send(context);
            }
            catch (Exception exception) when (span is not null)
            {
                span.Activity.SetStatus(ActivityStatusCode.Error, exception.Message);
                throw;
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("eventTracing");
    }

    /// <summary>Stores the traceparent of the sampled span that saves a session with each event it appends.</summary>
    internal sealed class CausationStamp : DocumentSessionListenerBase
    {
        public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            ArgumentNullException.ThrowIfNull(session);
            // Marten fills causation ids from the session (the parent of the span current when it opened): replaced by
            // the span that saves, or cleared when that one is not sampled, so an unsampled request stores nothing.
            var traceParent = CurrentTraceParent();
            if (traceParent is null && session.CausationId is null)
            {
                return Task.CompletedTask;
            }

            foreach (var stream in session.PendingChanges.Streams())
            {
                foreach (var e in stream.Events)
                {
                    e.CausationId = traceParent;
                }
            }

            return Task.CompletedTask;
        }
    }
}
