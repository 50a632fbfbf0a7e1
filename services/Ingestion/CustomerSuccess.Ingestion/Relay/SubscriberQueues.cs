using CustomerSuccess.Contracts.Messaging;
using CustomerSuccess.EventSourcing.Messaging;
using CustomerSuccess.Ingestion.Replay;
using Microsoft.Extensions.Options;

namespace CustomerSuccess.Ingestion.Relay;

/// <summary>
/// Declares the queue of every known subscriber (<c>Replay:Targets</c>) and binds it to the ingested-events exchange,
/// the way MassTransit declares a consumer endpoint, before the relay publishes anything. RabbitMQ drops a message
/// that no queue is bound for: without this, events accepted while a consuming service has never started yet (a first
/// deploy, a new service) would be relayed into nothing.
/// </summary>
public sealed class SubscriberQueues(IOptions<RabbitMqOptions> rabbit, IOptions<ReplayOptions> targets) : IDisposable
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private volatile bool _declared;

    public async Task EnsureDeclaredAsync(CancellationToken cancellationToken)
    {
        if (_declared)
        {
            return;
        }

        await _once.WaitAsync(cancellationToken);
        try
        {
            if (_declared)
            {
                return;
            }

            await SubscriberQueueDeclaration.DeclareAsync(
                rabbit.Value, MessageNames.CustomerEventsIngestedExchange, targets.Value.Targets.Values, cancellationToken);
            _declared = true;
        }
        finally
        {
            _once.Release();
        }
    }

    public void Dispose() => _once.Dispose();
}
