using System.Diagnostics;

namespace CustomerSuccess.ServiceDefaults;

/// <summary>
/// Spans over work that many traces caused at once (a relay page, a consumed page, a webhook delivery): linked to each
/// originating context (W3C traceparents), and, when they end, leaving a span of the same name and duration in each
/// originating trace that links back, so a trace followed forward from its request reaches every batch it is part of.
/// Nothing is recorded while tracing is off (<see cref="TraceSampling"/>).
/// </summary>
public static class LinkedSpans
{
    public const string SourceName = "CustomerSuccess.Tracing";

    /// <summary>Set on the span a linked span leaves in an originating trace: the linked span's id.</summary>
    public const string BatchSpanAttribute = "customersuccess.batch_span";

    /// <summary>Set on linked spans: how many originating contexts they link to.</summary>
    public const string OriginCountAttribute = "customersuccess.origin_count";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current span's traceparent, when it is sampled: what work done now stores as its origin.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts a plain span (a child of the current one); null while tracing is off.</summary>
    public static Activity? StartSpan(string name) => Source.StartActivity(name);

    /// <summary>Starts a span linked to each of <paramref name="origins"/> (space-separated traceparents; null: none).</summary>
    public static LinkedSpan? Start(string name, string? origins)
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
        return new LinkedSpan(activity, contexts);
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
    /// A span over work of several traces. When it ends it also leaves a span of the same name and duration in each
    /// originating trace, linked to it, so following a request's trace forward reaches the batch.
    /// </summary>
    public sealed class LinkedSpan : IDisposable
    {
        private readonly Activity _activity;
        private readonly List<ActivityContext> _origins;

        internal LinkedSpan(Activity activity, List<ActivityContext> origins) => (_activity, _origins) = (activity, origins);

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
}
