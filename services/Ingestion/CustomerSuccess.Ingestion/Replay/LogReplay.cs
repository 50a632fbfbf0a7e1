using CustomerSuccess.Contracts.Events;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Ingestion.Relay;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Ingestion.Replay;

/// <summary>What to replay: everything, one customer, and/or from a log position on.</summary>
/// <param name="Service">Target service (a key of <c>Replay:Targets</c>).</param>
/// <param name="CustomerId">Only this customer's events.</param>
/// <param name="FromPosition">Only events at or after this log position (the event's global sequence number).</param>
public sealed record ReplayRequest(string Service, string? CustomerId = null, long? FromPosition = null);

/// <summary>How many events were re-sent and the last log position covered.</summary>
public sealed record ReplayResult(string Service, int Replayed, long? LastPosition);

/// <summary>
/// Re-feeds one service from the event log: sends committed events, in log order and in pages, straight to
/// that service's queue (other services are not touched). Safe at any time: consumers skip ids they applied.
/// </summary>
public sealed class LogReplay(IDocumentStore store, IBus bus, SubscriberQueues subscribers, IOptions<ReplayOptions> options, IOptions<RabbitMqOptions> rabbit)
{
    public IReadOnlyCollection<string> Services => options.Value.Targets.Keys;

    public async Task<ReplayResult> ReplayAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        if (!options.Value.Targets.TryGetValue(request.Service, out var queue))
        {
            throw new ArgumentException($"Unknown service '{request.Service}'. Known: {string.Join(", ", Services)}.", nameof(request));
        }

        // Through the endpoint's exchange (bound to its queue): a "queue:" address would make MassTransit declare the
        // queue itself, with arguments that need not match the consumer's (quorum).
        await subscribers.EnsureDeclaredAsync(cancellationToken);
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{queue}"));
        var position = request.FromPosition ?? 0;
        var replayed = 0;
        long? last = null;
        while (true)
        {
            await using var session = store.QuerySession();
            var query = session.Events.QueryAllRawEvents().Where(e => e.Sequence >= position);
            if (request.CustomerId is { } customerId)
            {
                query = query.Where(e => e.StreamKey == customerId);
            }

            var page = await query.OrderBy(e => e.Sequence).Take(EventLogRelay.EventsPerMessage).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return new ReplayResult(request.Service, replayed, last);
            }

            var events = page.Select(e => e.Data).OfType<CustomerEvent>().ToArray();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(rabbit.Value.PublishTimeout);
            await endpoint.Send(new CustomerEventsIngested { Events = events }, timeout.Token);
            replayed += events.Length;
            last = page[^1].Sequence;
            position = last.Value + 1;
        }
    }
}
