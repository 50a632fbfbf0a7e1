using System.Diagnostics;
using CustomerSuccess.ServiceDefaults;
using JasperFx.Events;
using Marten;
using MassTransit;

namespace CustomerSuccess.EventSourcing.Observability;

/// <summary>
/// One trace per event across the outbox relays. Every appended event stores the W3C <c>traceparent</c> of the sampled
/// span that appended it (Marten's <c>causation_id</c>, one string per event; nothing when tracing is off). A relay
/// page and a consumer handle events of many requests at once, so their spans are <see cref="LinkedSpans"/>: linked to
/// each originating context, and leaving a span in each originating trace that links back. The originating contexts
/// travel in <see cref="OriginsHeader"/> of every relayed message.
/// </summary>
public static class EventTracing
{
    /// <summary>Message header: the distinct traceparents (space-separated) of the events a message carries.</summary>
    public const string OriginsHeader = "CustomerSuccess-Trace-Origins";

    /// <summary>Starts a span of the service's own work (e.g. the log commit); null while tracing is off.</summary>
    public static Activity? Start(string name) => LinkedSpans.StartSpan(name);

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
    public static LinkedSpans.LinkedSpan? StartPage(string relay, IEnumerable<IEvent> events) => LinkedSpans.Start($"{relay} page", Origins(events));

    /// <summary>Starts the span of one consumed message, linked to the trace of every event it carries.</summary>
    public static LinkedSpans.LinkedSpan? StartConsume(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return LinkedSpans.Start($"{QueueOf(context)} apply", context.Headers.Get<string>(OriginsHeader));
    }

    /// <summary>Starts the span of several consumed messages applied together, linked to the traces of all their events.</summary>
    public static LinkedSpans.LinkedSpan? StartConsumeGroup(IReadOnlyList<ConsumeContext> contexts)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        if (contexts.Count == 0)
        {
            return null;
        }

        var origins = contexts.Select(c => c.Headers.Get<string>(OriginsHeader)).OfType<string>().ToList();
        return LinkedSpans.Start($"{QueueOf(contexts[0])} apply pages", origins.Count == 0 ? null : string.Join(' ', origins));
    }

    private static string QueueOf(ConsumeContext context) =>
        context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "message";

    /// <summary>Publishes with the originating traceparents of the message's events in <see cref="OriginsHeader"/>.</summary>
    public static Task Publish<T>(IPublishEndpoint bus, T message, string? origins, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        return origins is null
            ? bus.Publish(message, cancellationToken)
            : bus.Publish(message, context => context.Headers.Set(OriginsHeader, origins), cancellationToken);
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
            var traceParent = LinkedSpans.CurrentTraceParent();
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
